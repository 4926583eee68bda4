import { describe, expect, it } from "vitest";
import { Table } from "../../../src/data/table.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../../../src/ml/errors.js";
import type { ModelParts, Transformer } from "../../../src/ml/estimator.js";
import { FeatureMatrix } from "../../../src/ml/features.js";
import {
  ColumnTransformer,
  MinMaxScaler,
  OneHotEncoder,
  OrdinalEncoder,
  RobustScaler,
  SimpleImputer,
  StandardScaler,
} from "../../../src/ml/preprocessing/index.js";

const cat = (name: string, values: (string | null)[]) => {
  const levels = [...new Set(values.filter((v): v is string => v !== null))];
  return {
    kind: "categorical" as const,
    name,
    levels,
    codes: Int32Array.from(values, (v) => (v === null ? -1 : levels.indexOf(v))),
  };
};
const numeric = (name: string, values: number[]) => ({
  kind: "numeric" as const,
  name,
  values: Float64Array.from(values),
});
const table = (...columns: Parameters<typeof Table.prototype.withColumn>[0][]) => new Table(columns);

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

async function rejected(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: Error) => e,
  );
}

describe("bad input is a typed error naming the parameter or column", () => {
  it("unknown or out-of-range parameters", () => {
    const cases: [() => unknown, string][] = [
      [() => new SimpleImputer({ stratgy: "mean" } as never), "SimpleImputer.stratgy"],
      [() => new SimpleImputer({ strategy: "mode" } as never), "SimpleImputer.strategy"],
      [() => new SimpleImputer({ fillValue: Number.NaN }), "SimpleImputer.fillValue"],
      [() => new OneHotEncoder({ handleUnknown: "skip" } as never), "OneHotEncoder.handleUnknown"],
      [() => new OneHotEncoder({ maxCategories: 1 }), "OneHotEncoder.maxCategories"],
      [() => new OneHotEncoder({ minFrequency: 1.5 }), "OneHotEncoder.minFrequency"],
      [() => new OneHotEncoder({ drop: "last" } as never), "OneHotEncoder.drop"],
      [() => new OrdinalEncoder({ unknownValue: "x" } as never), "OrdinalEncoder.unknownValue"],
      [() => new StandardScaler({ withMean: 1 } as never), "StandardScaler.withMean"],
      [() => new MinMaxScaler({ featureRange: [1, 0] }), "MinMaxScaler.featureRange"],
      [() => new RobustScaler({ quantileRange: [25, 101] }), "RobustScaler.quantileRange"],
      [() => new ColumnTransformer([], { remainder: "keep" } as never), "ColumnTransformer.remainder"],
      [
        () => new ColumnTransformer([["a", new StandardScaler(), { types: ["numbers" as never] }]]),
        "ColumnTransformer.a.columns",
      ],
      [() => new ColumnTransformer([["a", "scale" as never, ["x"]]]), "ColumnTransformer.a"],
    ];
    for (const [make, param] of cases) {
      const e = caught(make);
      expect(e, param).toBeInstanceOf(ParameterError);
      expect((e as ParameterError).param).toBe(param);
    }
    const e = caught(() => new SimpleImputer({ stratgy: "mean" } as never));
    expect(e.message).toMatch(/strategy, fillValue, addIndicator/);
  });

  it("categorical columns where numbers are needed, at fit and at transform", async () => {
    const X = table(cat("city", ["a", "b", "a"]), numeric("x", [1, 2, 3]));
    for (const t of [new StandardScaler(), new MinMaxScaler(), new RobustScaler(), new SimpleImputer()]) {
      const e = await rejected(t.fit(X));
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe("city");
      expect(e.message).toMatch(/categorical/);
    }
    // a column that changed kind since fit
    const s = await new StandardScaler().fit(table(numeric("city", [1, 2, 3])));
    const e = caught(() => s.transform(table(cat("city", ["a", "b", "c"]))));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe("city");
    // constant fill of the wrong type
    const f = await rejected(new SimpleImputer({ strategy: "constant", fillValue: 0 }).fit(X));
    expect((f as InputError).field).toBe("city");
    const g = await rejected(
      new SimpleImputer({ strategy: "constant", fillValue: "?" }).fit(table(numeric("x", [1]))),
    );
    expect((g as InputError).field).toBe("x");
  });

  it("a missing column at transform names it", async () => {
    const t = await new StandardScaler().fit(table(numeric("x", [1, 2]), numeric("y", [3, 4])));
    const e = caught(() => t.transform(table(numeric("x", [1, 2]))));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe("y");
    const ct = new ColumnTransformer([["s", new StandardScaler(), ["nope"]]]);
    const e2 = await rejected(ct.fit(table(numeric("x", [1, 2]))));
    expect((e2 as InputError).field).toBe("nope");
  });

  it("infinity is refused, naming the column and row", async () => {
    for (const t of [
      new StandardScaler(),
      new MinMaxScaler(),
      new RobustScaler(),
      new SimpleImputer(),
      new OneHotEncoder(),
    ]) {
      const e = await rejected(t.fit(table(numeric("income", [1, Number.POSITIVE_INFINITY]))));
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).field).toBe("income");
      expect(e.message).toMatch(/row 2/);
    }
  });

  it("an unseen category with handleUnknown error names the column and the value", async () => {
    const enc = await new OneHotEncoder().fit(table(cat("region", ["North", "South"])));
    const e = caught(() => enc.transform(table(cat("region", ["North", "Atlantis"]))));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe("region");
    expect(e.message).toMatch(/"Atlantis"/);
    // missing unseen at fit is unknown as well
    const m = caught(() => enc.transform(table(cat("region", ["North", null]))));
    expect(m.message).toMatch(/missing/);
    const ord = await new OrdinalEncoder().fit(table(numeric("n", [1, 2])));
    const o = caught(() => ord.transform(table(numeric("n", [3]))));
    expect((o as InputError).field).toBe("n");
    expect(o.message).toMatch(/3/);
    // ignore: all zeros
    const ignore = await new OneHotEncoder({ handleUnknown: "ignore" }).fit(
      table(cat("region", ["North", "South"])),
    );
    const out = ignore.transform(table(cat("region", ["Atlantis"])));
    expect(out.toRowMajor()).toEqual(new Float64Array([0, 0]));
  });

  it("an unknown code colliding with a category is refused", async () => {
    const ord = new OrdinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: 1 });
    const e = await rejected(ord.fit(table(cat("c", ["a", "b", "c"]))));
    expect((e as ParameterError).param).toBe("OrdinalEncoder.unknownValue");
  });

  it("a missing indicator for a feature that had no missing value at fit is an error", async () => {
    const t = await new SimpleImputer({ addIndicator: true }).fit(table(numeric("x", [1, 2])));
    const e = caught(() => t.transform(table(numeric("x", [Number.NaN, 2]))));
    expect((e as InputError).field).toBe("x");
  });

  it("colliding output names in a ColumnTransformer are an error", async () => {
    const ct = new ColumnTransformer([
      ["a", new StandardScaler(), ["x"]],
      ["b", new MinMaxScaler(), ["x"]],
    ]);
    const e = await rejected(ct.fit(table(numeric("x", [1, 2]))));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/collide: x/);
  });

  it("use before fit is a NotFittedError", () => {
    for (const t of [new StandardScaler(), new OneHotEncoder(), new ColumnTransformer([])] as Transformer[]) {
      expect(() => t.transform(table(numeric("x", [1])))).toThrow(NotFittedError);
      expect(() => t.featureNamesOut()).toThrow(NotFittedError);
      expect(() => t.toParts()).toThrow(NotFittedError);
    }
  });

  it("hostile parts are refused with ModelFormatError", async () => {
    const X = table(cat("c", ["a", "b", null]), numeric("x", [1, Number.NaN, 3]));
    const enc = await new OneHotEncoder().fit(X);
    const parts = enc.toParts();
    const mutate = (f: (p: ModelParts & { state: Record<string, unknown> }) => void) => {
      const p = structuredClone(parts) as ModelParts & { state: Record<string, unknown> };
      f(p);
      return () => OneHotEncoder.fromParts(p);
    };
    const encodings = (p: { state: Record<string, unknown> }) =>
      p.state.encodings as Record<string, unknown>[];
    const bad = [
      mutate((p) => {
        (p as { kind: string }).kind = "standard_scaler";
      }),
      mutate((p) => {
        (p.params as Record<string, unknown>).handleUnknown = "maybe";
      }),
      mutate((p) => {
        p.state.encodings = [];
      }),
      mutate((p) => {
        encodings(p)[0].infrequent = [0, 99];
      }),
      mutate((p) => {
        encodings(p)[0].infrequent = [1, 0];
      }),
      mutate((p) => {
        encodings(p)[0].drop = 7;
      }),
      mutate((p) => {
        (encodings(p)[0].categories as Record<string, unknown>).values = ["a", "a"];
      }),
      mutate((p) => {
        (encodings(p)[1].categories as Record<string, unknown>).values = ["x"];
      }),
      mutate((p) => {
        (encodings(p)[1].categories as Record<string, unknown>).numeric = false;
      }),
      mutate((p) => {
        (p as { features: unknown }).features = [{ kind: "weird", name: "c" }];
      }),
    ];
    for (const load of bad) expect(load).toThrow(ModelFormatError);

    const scaler = await new StandardScaler().fit(table(numeric("x", [1, 2])));
    const sp = scaler.toParts();
    expect(() =>
      StandardScaler.fromParts({
        ...sp,
        arrays: { offset: new Float64Array(3), scale: new Float64Array(1) },
      }),
    ).toThrow(ModelFormatError);
    expect(() =>
      StandardScaler.fromParts({ ...sp, arrays: { offset: new Int32Array(1), scale: new Float64Array(1) } }),
    ).toThrow(ModelFormatError);
    const imp = await new SimpleImputer({ strategy: "most_frequent" }).fit(X);
    const ip = imp.toParts();
    expect(() => SimpleImputer.fromParts({ ...ip, state: { ...ip.state, kept: [true] } })).toThrow(
      ModelFormatError,
    );
    expect(() =>
      SimpleImputer.fromParts({ ...ip, state: { ...ip.state, categoricalFill: [null, null] } }),
    ).toThrow(ModelFormatError);
  });

  it("FeatureMatrix input with indicators works (scaling densifies)", async () => {
    const enc = await new OneHotEncoder().fit(table(cat("c", ["a", "b", "a", "b"])));
    const onehot = enc.transform(table(cat("c", ["a", "b", "a", "b"])));
    expect(onehot.features.every((f) => f.kind === "indicator")).toBe(true);
    const scaled = (await new StandardScaler().fit(onehot)).transform(onehot);
    expect(scaled.features.every((f) => f.kind === "numeric")).toBe(true);
    expect(scaled.numericColumn(0)).toEqual(new Float64Array([1, -1, 1, -1]));
    const ct = new ColumnTransformer([["n", new MinMaxScaler(), { types: ["numeric"] }]]);
    await ct.fit(new FeatureMatrix(onehot.features, 4));
    expect(ct.featureNamesOut()).toEqual(["c_a", "c_b"]);
  });
});
