import { inferSchema, SEMANTIC_TYPES, type SemanticType } from "../../data/schema.js";
import { Table } from "../../data/table.js";
import { InputError, ModelFormatError, NotFittedError, ParameterError } from "../errors.js";
import {
  type AnyEstimator,
  type EstimatorSpec,
  type FitOptions,
  type Json,
  type JsonObject,
  type ModelParts,
  type Transformer,
  throwIfAborted,
} from "../estimator.js";
import { type Feature, FeatureMatrix, type FeatureSpec, type Features } from "../features.js";
import { choice, custom, type ParamsOf, resolveParams } from "../params.js";
import { cloneChild, isEstimator, type NestedOverrides, splitOverrides } from "../pipeline/nested.js";
import type { Target } from "../target.js";
import { alignFeatures } from "./base.js";
import { checkParts, readFeatures } from "./parts.js";

/** Which columns a route takes: names, or every column of the given inferred types. */
export type ColumnSelector = readonly string[] | { readonly types: readonly SemanticType[] };

/** What a route does with its columns: a transformer, or pass them through / drop them unchanged. */
export type RouteAction = Transformer | "passthrough" | "drop";

export type ColumnRoute = readonly [name: string, action: RouteAction, columns: ColumnSelector];

const SPEC = {
  /** What happens to columns no route takes. */
  remainder: choice(["drop", "passthrough"], "drop"),
  /** Semantic types forced by column name before routing by type (see inferSchema). */
  typeOverrides: custom<Record<string, SemanticType> | null>(
    "an object of column name → semantic type, or null",
    null,
    (v) =>
      v === null ||
      (typeof v === "object" &&
        !Array.isArray(v) &&
        Object.values(v as object).every((t) => SEMANTIC_TYPES.includes(t as SemanticType)))
        ? (v as Record<string, SemanticType> | null)
        : undefined,
  ),
};
export type ColumnTransformerParams = ParamsOf<typeof SPEC>;

const ROUTE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Applies a transformer to each group of columns and puts the outputs side by side, as
 * scikit-learn's ColumnTransformer with `verbose_feature_names_out=False` (output names are
 * the transformers' own and must not collide). Routing by type uses `inferSchema` on a Table,
 * so id-like, constant, text and datetime columns go nowhere unless a route names them or
 * asks for their type; on a FeatureMatrix a categorical feature has type "categorical" and
 * any other matches "numeric", "integer" and "boolean". Columns are resolved at fit and kept.
 */
export class ColumnTransformer implements Transformer<ColumnTransformerParams> {
  readonly kind = "column_transformer";
  readonly task = "transform" as const;
  readonly params: Readonly<ColumnTransformerParams>;
  readonly routes: readonly ColumnRoute[];
  warnings: string[] = [];
  /** Columns of each route, resolved at fit. */
  private resolved: string[][] | null = null;
  private remainderColumns: string[] = [];
  private inputSpec: FeatureSpec[] = [];
  private droppedColumns: { name: string; type: string }[] = [];

  constructor(routes: readonly ColumnRoute[], params: Partial<ColumnTransformerParams> = {}) {
    this.params = resolveParams("ColumnTransformer", SPEC, params);
    if (!Array.isArray(routes))
      throw new ParameterError("ColumnTransformer.routes", "a list of [name, transformer, columns]");
    const seen = new Set<string>();
    routes.forEach((route, i) => {
      const [name, action, columns] = Array.isArray(route) ? route : [];
      if (typeof name !== "string" || !ROUTE_NAME.test(name) || name.includes("__") || seen.has(name)) {
        throw new ParameterError(
          `ColumnTransformer.routes[${i}]`,
          "a unique name of letters, digits, _ or - (no __)",
          name,
        );
      }
      seen.add(name);
      if (
        action !== "passthrough" &&
        action !== "drop" &&
        !(isEstimator(action) && action.task === "transform")
      ) {
        throw new ParameterError(`ColumnTransformer.${name}`, 'a transformer, "passthrough" or "drop"');
      }
      if (!isSelector(columns)) {
        throw new ParameterError(
          `ColumnTransformer.${name}.columns`,
          `a list of column names or { types: [...] } with types among ${SEMANTIC_TYPES.join(", ")}`,
        );
      }
    });
    this.routes = routes.map(
      ([n, a, c]) =>
        [n, a, Array.isArray(c) ? [...c] : { types: [...(c as { types: SemanticType[] }).types] }] as const,
    );
  }

  get isFitted(): boolean {
    return this.resolved !== null;
  }

  /** The transformers by route name. */
  get namedTransformers(): Readonly<Record<string, RouteAction>> {
    return Object.fromEntries(this.routes.map(([n, a]) => [n, a]));
  }

  /** The columns each route took at fit. */
  get columnsByRoute(): Readonly<Record<string, readonly string[]>> {
    const resolved = this.fittedColumns();
    return Object.fromEntries(this.routes.map(([n], r) => [n, resolved[r]]));
  }

  /** Columns of the fit input that no route took and the remainder dropped, with their inferred type. */
  get dropped(): readonly { name: string; type: string }[] {
    this.fittedColumns();
    return this.droppedColumns;
  }

  async fit(X: Features, y?: Target, options?: FitOptions): Promise<this> {
    throwIfAborted(options?.signal);
    this.resolved = null;
    this.warnings = [];
    const m = FeatureMatrix.from(X);
    const types = this.columnTypes(X, m);
    const byName = new Map(m.features.map((f) => [f.name, f]));
    const resolved = this.routes.map(([name, , sel]) => {
      if (!Array.isArray(sel)) {
        const want = (sel as { types: readonly SemanticType[] }).types;
        return m.names.filter((n) => (types.get(n) ?? []).some((t) => want.includes(t)));
      }
      for (const c of sel as readonly string[]) {
        if (!byName.has(c)) {
          throw new InputError(
            `ColumnTransformer route "${name}": no column "${c}" (columns: ${m.names.join(", ")})`,
            c,
          );
        }
      }
      return [...(sel as readonly string[])];
    });
    const used = new Set(resolved.flat());
    const rest = m.names.filter((n) => !used.has(n));
    this.remainderColumns = this.params.remainder === "passthrough" ? rest : [];
    this.droppedColumns =
      this.params.remainder === "passthrough"
        ? []
        : rest.map((n) => ({ name: n, type: (types.get(n) ?? [])[0] ?? "" }));
    for (const [r, [name, action]] of this.routes.entries()) {
      if (action === "passthrough" || action === "drop") continue;
      throwIfAborted(options?.signal);
      const sub = new FeatureMatrix(
        resolved[r].map((c) => byName.get(c) as Feature),
        m.nRows,
      );
      await action.fit(sub, y, { signal: options?.signal });
      for (const w of action.warnings) this.warnings.push(`${name}: ${w}`);
    }
    const keep = new Set([...used, ...this.remainderColumns]);
    this.inputSpec = FeatureMatrix.from(m)
      .spec()
      .filter((s) => keep.has(s.name));
    this.resolved = resolved;
    const names = this.featureNamesOut();
    const dup = names.filter((n, i) => names.indexOf(n) !== i);
    if (dup.length > 0) {
      this.resolved = null;
      throw new InputError(
        `ColumnTransformer: output feature names collide: ${[...new Set(dup)].join(", ")}`,
        dup[0],
      );
    }
    return this;
  }

  /** The semantic types a column matches for routing by type. */
  private columnTypes(X: Features, m: FeatureMatrix): Map<string, SemanticType[]> {
    const out = new Map<string, SemanticType[]>();
    const byType = this.routes.some(([, , sel]) => !Array.isArray(sel));
    if (!byType) return out;
    if (X instanceof Table) {
      const overrides = this.params.typeOverrides ?? {};
      // inferSchema sorts every numeric column; those it would call "numeric" by its first
      // rule for numbers (two distinct values, one with a fraction) are decided here in one pass.
      const rest = X.columns.filter((c) => {
        if (Object.hasOwn(overrides, c.name) || c.kind !== "numeric" || !hasFraction(c.values)) return true;
        out.set(c.name, ["numeric"]);
        return false;
      });
      const schema = inferSchema(new Table(rest, X.nRows), { overrides });
      for (const c of schema.columns) out.set(c.name, [c.type]);
      return new Map(X.names.map((n) => [n, out.get(n) ?? []]));
    }
    for (const f of m.features) {
      out.set(f.name, f.kind === "categorical" ? ["categorical"] : ["numeric", "integer", "boolean"]);
    }
    return out;
  }

  transform(X: Features): FeatureMatrix {
    const resolved = this.fittedColumns();
    const m = FeatureMatrix.from(X);
    const aligned = alignFeatures(m, this.inputSpec, "ColumnTransformer");
    const byName = new Map(aligned.map((f) => [f.name, f]));
    const out: Feature[] = [];
    for (const [r, [, action]] of this.routes.entries()) {
      if (action === "drop") continue;
      const sub = new FeatureMatrix(
        resolved[r].map((c) => byName.get(c) as Feature),
        m.nRows,
      );
      out.push(...(action === "passthrough" ? sub.features : action.transform(sub).features));
    }
    for (const c of this.remainderColumns) out.push(byName.get(c) as Feature);
    return new FeatureMatrix(out, m.nRows);
  }

  featureNamesOut(): string[] {
    const resolved = this.fittedColumns();
    const names: string[] = [];
    for (const [r, [, action]] of this.routes.entries()) {
      if (action === "drop") continue;
      names.push(...(action === "passthrough" ? resolved[r] : action.featureNamesOut()));
    }
    return [...names, ...this.remainderColumns];
  }

  clone(overrides: NestedOverrides = {}): this {
    const names = this.routes.map(([n]) => n);
    const { own, children, replaced } = splitOverrides(
      "ColumnTransformer",
      overrides,
      names,
      Object.keys(SPEC),
    );
    const routes = this.routes.map(([name, action, cols]): ColumnRoute => {
      if (replaced.has(name)) return [name, replaced.get(name) as RouteAction, cols];
      if (action === "passthrough" || action === "drop") {
        if (children.has(name))
          throw new ParameterError(`ColumnTransformer.${name}`, "a transformer to take params");
        return [name, action, cols];
      }
      return [name, cloneChild(action, children.get(name)), cols];
    });
    return new ColumnTransformer(routes, { ...this.params, ...own }) as this;
  }

  private routesJson(): Json[] {
    return this.routes.map(([name, action, cols]) => ({
      name,
      action: typeof action === "string" ? action : "transform",
      columns: (Array.isArray(cols)
        ? [...cols]
        : { types: [...(cols as { types: SemanticType[] }).types] }) as Json,
    }));
  }

  private paramsJson(): JsonObject {
    return {
      routes: this.routesJson(),
      remainder: this.params.remainder,
      typeOverrides: this.params.typeOverrides,
    };
  }

  toSpec(): EstimatorSpec {
    const children: Record<string, EstimatorSpec> = {};
    for (const [name, action] of this.routes)
      if (typeof action !== "string") children[name] = action.toSpec();
    return { kind: this.kind, params: this.paramsJson(), children };
  }

  toParts(): ModelParts {
    const resolved = this.fittedColumns();
    const children: Record<string, ModelParts> = {};
    for (const [name, action] of this.routes)
      if (typeof action !== "string") children[name] = action.toParts();
    return {
      kind: this.kind,
      params: this.paramsJson(),
      features: this.inputSpec,
      state: { columns: resolved, remainderColumns: this.remainderColumns, dropped: this.droppedColumns },
      arrays: {},
      children,
    };
  }

  /** An unfitted ColumnTransformer from its spec params and built children (for createEstimator). */
  static fromSpec(params: JsonObject, children: Record<string, AnyEstimator>): ColumnTransformer {
    const { routes, ...rest } = params as { routes?: unknown };
    if (!Array.isArray(routes)) throw new ParameterError("ColumnTransformer.routes", "a list of routes");
    return new ColumnTransformer(
      routes.map((r, i): ColumnRoute => {
        const { name, action, columns } = (r ?? {}) as {
          name?: unknown;
          action?: unknown;
          columns?: unknown;
        };
        if (typeof name !== "string")
          throw new ParameterError(`ColumnTransformer.routes[${i}].name`, "a string");
        const act = action === "transform" ? children[name] : action;
        return [name, act as RouteAction, columns as ColumnSelector];
      }),
      rest as Partial<ColumnTransformerParams>,
    );
  }

  static fromParts(parts: ModelParts, load: (child: ModelParts) => AnyEstimator): ColumnTransformer {
    const kind = "column_transformer";
    const fail = (msg: string) => new ModelFormatError(`${kind}: ${msg}`);
    checkParts(parts, kind);
    const children: Record<string, AnyEstimator> = {};
    for (const [name, child] of Object.entries(parts.children ?? {})) children[name] = load(child);
    let out: ColumnTransformer;
    try {
      out = ColumnTransformer.fromSpec(parts.params, children);
    } catch (e) {
      if (e instanceof ParameterError) throw fail(e.message);
      throw e;
    }
    const extra = Object.keys(children).filter((n) => typeof out.namedTransformers[n] !== "object");
    if (extra.length > 0) throw fail(`unexpected children: ${extra.join(", ")}`);
    for (const [name, action] of out.routes) {
      if (typeof action !== "string" && !action.isFitted) throw fail(`route "${name}" is not fitted`);
    }
    const spec = readFeatures(parts, kind);
    const known = new Set(spec.map((s) => s.name));
    const names = (v: unknown): v is string[] =>
      Array.isArray(v) && v.every((c) => typeof c === "string" && known.has(c));
    const { columns, remainderColumns, dropped } = parts.state as Record<string, unknown>;
    if (!Array.isArray(columns) || columns.length !== out.routes.length || !columns.every(names)) {
      throw fail("state.columns must list, per route, columns among the input features");
    }
    if (!names(remainderColumns)) throw fail("state.remainderColumns must list input features");
    if (!Array.isArray(dropped)) throw fail("state.dropped must be a list");
    out.inputSpec = spec;
    out.remainderColumns = remainderColumns;
    out.droppedColumns = dropped.filter(
      (d): d is { name: string; type: string } =>
        typeof d === "object" && d !== null && typeof (d as { name?: unknown }).name === "string",
    );
    out.resolved = columns as string[][];
    return out;
  }

  private fittedColumns(): string[][] {
    if (!this.resolved) throw new NotFittedError("ColumnTransformer");
    return this.resolved;
  }
}

/** Whether the values hold two distinct present values, one of them not an integer. */
function hasFraction(values: Float64Array): boolean {
  let first = Number.NaN;
  let fraction = false;
  let distinct = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) distinct = true;
    if (!fraction && !Number.isInteger(v)) fraction = true;
    if (fraction && distinct) return true;
  }
  return false;
}

function isSelector(v: unknown): v is ColumnSelector {
  if (Array.isArray(v)) return v.every((c) => typeof c === "string") && new Set(v).size === v.length;
  if (typeof v !== "object" || v === null) return false;
  const types = (v as { types?: unknown }).types;
  return Array.isArray(types) && types.every((t) => SEMANTIC_TYPES.includes(t as SemanticType));
}
