import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accuracy,
  argsortFloat64,
  averagePrecision,
  balancedAccuracy,
  brierScore,
  confusionMatrix,
  formatFixed,
  logLoss,
  matthewsCorrcoef,
  meanAbsoluteError,
  meanSquaredError,
  precisionRecallCurve,
  precisionRecallF1Support,
  r2,
  recall,
  rocAuc,
  rocCurve,
  rootMeanSquaredError,
} from "../../../src/ml/metrics/index.js";
import { selectKth } from "../../../src/ml/quickselect.js";

const near = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Two label arrays of the same length over a small alphabet, with optional positive weights. */
const labelPairs = fc.integer({ min: 1, max: 60 }).chain((n) =>
  fc.record({
    t: fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: n, maxLength: n }),
    p: fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: n, maxLength: n }),
    w: fc.option(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: n, maxLength: n }), {
      nil: undefined,
    }),
  }),
);

/** Binary labels with integer scores (many ties), both classes present. */
const scored = fc
  .integer({ min: 2, max: 80 })
  .chain((n) =>
    fc.record({
      y: fc.array(fc.constantFrom(0, 1), { minLength: n, maxLength: n }),
      s: fc.array(fc.integer({ min: -15, max: 15 }), { minLength: n, maxLength: n }),
      w: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: n, maxLength: n }),
    }),
  )
  .filter(({ y }) => y.includes(0) && y.includes(1));

/** AUC from its definition: P(score of a positive > score of a negative) + ½ P(equal), weighted. */
function pairwiseAuc(y: number[], s: number[], w?: number[]): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      const ww = w ? w[i] * w[j] : 1;
      num += ww * (s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0);
      den += ww;
    }
  }
  return num / den;
}

/** Rows repeated by integer weights: weighted metrics must equal unweighted ones on the copy. */
function repeat<T>(a: T[], w: number[]): T[] {
  return a.flatMap((v, i) => Array<T>(w[i]).fill(v));
}

describe("classification properties", () => {
  it("accuracy is the confusion matrix's trace over its total", () => {
    fc.assert(
      fc.property(labelPairs, ({ t, p, w }) => {
        const { matrix } = confusionMatrix(t, p, { sampleWeight: w });
        let trace = 0;
        let total = 0;
        matrix.forEach((row, i) => {
          row.forEach((v, j) => {
            total += v;
            if (i === j) trace += v;
          });
        });
        expect(near(accuracy(t, p, { sampleWeight: w }), trace / total)).toBe(true);
      }),
    );
  });

  it("confusion matrix rows sum to the support, columns to the predicted counts", () => {
    fc.assert(
      fc.property(labelPairs, ({ t, p }) => {
        const { labels, matrix } = confusionMatrix(t, p);
        labels.forEach((l, i) => {
          expect(matrix[i].reduce((a, b) => a + b, 0)).toBe(t.filter((v) => v === l).length);
          expect(matrix.reduce((a, row) => a + row[i], 0)).toBe(p.filter((v) => v === l).length);
        });
      }),
    );
  });

  it("each class's F1 lies between its precision and recall", () => {
    fc.assert(
      fc.property(labelPairs, ({ t, p, w }) => {
        const r = precisionRecallF1Support(t, p, { average: null, sampleWeight: w });
        r.f1.forEach((f, k) => {
          const lo = Math.min(r.precision[k], r.recall[k]);
          const hi = Math.max(r.precision[k], r.recall[k]);
          expect(f >= lo - 1e-12 && f <= hi + 1e-12).toBe(true);
        });
      }),
    );
  });

  it("balanced accuracy is the macro recall over yTrue's classes", () => {
    fc.assert(
      fc.property(labelPairs, ({ t, p, w }) => {
        const labels = [...new Set(t)].sort();
        const macro = recall(t, p, { average: "macro", labels, sampleWeight: w });
        expect(near(balancedAccuracy(t, p, { sampleWeight: w }), macro)).toBe(true);
      }),
    );
  });

  it("integer weights are the same as repeated rows", () => {
    fc.assert(
      fc.property(labelPairs, ({ t, p, w }) => {
        if (w === undefined) return;
        const tt = repeat(t, w);
        const pp = repeat(p, w);
        const a = precisionRecallF1Support(t, p, { average: "weighted", sampleWeight: w });
        const b = precisionRecallF1Support(tt, pp, { average: "weighted" });
        expect(near(a.f1, b.f1, 1e-9)).toBe(true);
        expect(near(matthewsCorrcoef(t, p, { sampleWeight: w }), matthewsCorrcoef(tt, pp), 1e-9)).toBe(true);
      }),
    );
  });

  it("micro-averaged precision, recall and F1 equal accuracy over all labels", () => {
    fc.assert(
      fc.property(labelPairs, ({ t, p }) => {
        const r = precisionRecallF1Support(t, p, { average: "micro" });
        const acc = accuracy(t, p);
        expect(near(r.precision, acc) && near(r.recall, acc) && near(r.f1, acc)).toBe(true);
      }),
    );
  });
});

describe("ranking properties", () => {
  it("ROC AUC equals the pairwise (Mann-Whitney) definition, weighted or not", () => {
    fc.assert(
      fc.property(scored, ({ y, s, w }) => {
        expect(near(rocAuc(y, s), pairwiseAuc(y, s), 1e-12)).toBe(true);
        expect(near(rocAuc(y, s, { sampleWeight: w }), pairwiseAuc(y, s, w), 1e-12)).toBe(true);
      }),
    );
  });

  it("AUC and AP are invariant under strictly increasing transforms of the scores", () => {
    fc.assert(
      fc.property(scored, ({ y, s }) => {
        const t = s.map((v) => v ** 3 + 10 * v + 0.5); // exact on these integers, strictly increasing
        expect(rocAuc(y, t)).toBe(rocAuc(y, s));
        expect(averagePrecision(y, t)).toBe(averagePrecision(y, s));
        expect(
          rocAuc(
            y,
            s.map((v) => -v),
          ),
        ).toBeCloseTo(1 - rocAuc(y, s), 12);
      }),
    );
  });

  it("the weighted path with unit (or repeated-row) weights gives the unweighted curves", () => {
    fc.assert(
      fc.property(scored, ({ y, s, w }) => {
        const ones = y.map(() => 1);
        expect(rocCurve(y, s, { sampleWeight: ones })).toEqual(rocCurve(y, s));
        expect(precisionRecallCurve(y, s, { sampleWeight: ones })).toEqual(precisionRecallCurve(y, s));
        const a = averagePrecision(y, s, { sampleWeight: w });
        expect(near(a, averagePrecision(repeat(y, w), repeat(s, w)), 1e-12)).toBe(true);
      }),
    );
  });

  it("ROC curves run from (0, 0) to (1, 1) with non-decreasing rates", () => {
    fc.assert(
      fc.property(scored, fc.boolean(), ({ y, s }, drop) => {
        const { fpr, tpr, thresholds } = rocCurve(y, s, { dropIntermediate: drop });
        expect([fpr[0], tpr[0], fpr[fpr.length - 1], tpr[tpr.length - 1]]).toEqual([0, 0, 1, 1]);
        for (let i = 1; i < fpr.length; i++) {
          expect(fpr[i] >= fpr[i - 1] && tpr[i] >= tpr[i - 1] && thresholds[i] < thresholds[i - 1]).toBe(
            true,
          );
        }
      }),
    );
  });

  it("probabilistic losses stay in range", () => {
    fc.assert(
      fc.property(scored, ({ y, s }) => {
        const p = s.map((v) => (v + 15) / 30);
        expect(logLoss(y, p)).toBeGreaterThanOrEqual(0);
        const b = brierScore(y, p);
        expect(b >= 0 && b <= 1).toBe(true);
      }),
    );
  });
});

describe("regression properties", () => {
  // multiples of 1/64 (no subnormal squares to underflow)
  const values = fc.array(
    fc.integer({ min: -(2 ** 26), max: 2 ** 26 }).map((v) => v / 64),
    { minLength: 2, maxLength: 50 },
  );

  it("R² of perfect predictions is 1", () => {
    fc.assert(
      fc.property(values, (y) => {
        expect(r2(y, y)).toBe(1);
      }),
    );
  });

  it("MAE ≤ RMSE and RMSE² = MSE", () => {
    fc.assert(
      fc.property(values, values, (y, f) => {
        const n = Math.min(y.length, f.length);
        const a = y.slice(0, n);
        const b = f.slice(0, n);
        const rmse = rootMeanSquaredError(a, b);
        expect(meanAbsoluteError(a, b) <= rmse * (1 + 1e-12)).toBe(true);
        expect(near(rmse ** 2, meanSquaredError(a, b), 1e-12)).toBe(true);
      }),
    );
  });
});

describe("radix argsort", () => {
  it("orders any doubles as a comparator sort does, stably", () => {
    const doubles = fc.oneof(
      fc.double({ noNaN: true }),
      fc.constantFrom(0, -0, 1, -1, Number.MIN_VALUE, -Number.MAX_VALUE),
      fc.integer({ min: -3, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(doubles, { maxLength: 300 }), (xs) => {
        const v = Float64Array.from(xs);
        const expected = Array.from(v.keys()).sort((a, b) => {
          const d = v[a] - v[b] || (Object.is(v[a], -0) ? 0 : 1) - (Object.is(v[b], -0) ? 0 : 1);
          return Number.isNaN(d) ? 0 : d || a - b;
        });
        expect(Array.from(argsortFloat64(v))).toEqual(expected);
      }),
    );
  });
});

describe("quickselect", () => {
  it("finds the k-th smallest value and partitions around it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (xs, kk) => {
          const a = Float64Array.from(xs);
          const k = kk % a.length;
          const sorted = Float64Array.from(xs).sort();
          expect(selectKth(a, k)).toBe(sorted[k]);
          for (let i = 0; i < a.length; i++) expect(i < k ? a[i] <= a[k] : a[i] >= a[k]).toBe(true);
        },
      ),
    );
  });
});

describe("report number formatting", () => {
  it("rounds exact ties to even as Python does", () => {
    expect(formatFixed(0.125, 2)).toBe("0.12");
    expect(formatFixed(0.375, 2)).toBe("0.38");
    expect(formatFixed(0.625, 2)).toBe("0.62");
    expect(formatFixed(2.5, 0)).toBe("2");
    expect(formatFixed(3.5, 0)).toBe("4");
    expect(formatFixed(0.1 + 0.2, 2)).toBe("0.30");
    expect(formatFixed(1 / 3, 4)).toBe("0.3333");
  });
});
