// Clustering: estimators, the k sweep and cluster profiles. Scores live in ../metrics/clustering.ts.
export { KMEANS_PARAMS, KMeans, type KMeansParams } from "./kmeans.js";
export type { KMeansInit } from "./run.js";
