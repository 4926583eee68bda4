// Metrics: one module, plain functions over label / score / value arrays, numerically faithful
// to scikit-learn 1.2.1 (test/fixtures/metrics/generate.py holds the reference values).
//
// - Classification (labels): accuracy, balancedAccuracy, precision / recall / f1 / fbeta and
//   precisionRecallF1Support (average "binary" | "macro" | "micro" | "weighted" | null),
//   confusionMatrix, classificationReport (object + scikit-learn's text), perClassMetrics,
//   matthewsCorrcoef, cohenKappa. "Per-class accuracy" is the share of that class's rows predicted
//   correctly, i.e. its recall (null when the class has no rows).
// - Scores (a 1-D score per row, or `classes` + a row-major n × k probability matrix): rocAuc,
//   averagePrecision, prAuc, logLoss, brierScore; curves rocCurve, precisionRecallCurve,
//   calibrationCurve. Curves sort once (radix argsort) and walk the rows once.
// - Regression: r2, meanAbsoluteError, meanSquaredError, rootMeanSquaredError,
//   meanAbsolutePercentageError, medianAbsoluteError, explainedVariance.
// - Summaries for the training service (JSON-safe, null where undefined): classificationMetrics,
//   regressionMetrics; scikit-learn scoring names for model selection: SCORERS, getScorer.
// - Clustering scores (clustering.ts) live here too.

export * from "./classification.js";
export * from "./clustering.js";
export * from "./confusion.js";
export * from "./curves.js";
export * from "./inputs.js";
export * from "./probabilistic.js";
export * from "./ranking.js";
export * from "./regression.js";
export * from "./report.js";
export * from "./scorers.js";
export * from "./scores.js";
export * from "./sort.js";
export * from "./summary.js";
