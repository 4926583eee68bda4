// Clustering: estimators, the k sweep and cluster profiles. Scores live in ../metrics/clustering.ts.
export { DBSCAN, DBSCAN_PARAMS, type DBSCANParams } from "./dbscan.js";
export { KMEANS_PARAMS, KMeans, type KMeansParams } from "./kmeans.js";
export { MINI_BATCH_KMEANS_PARAMS, MiniBatchKMeans, type MiniBatchKMeansParams } from "./minibatch.js";
export {
  type ClusterProfile,
  clusterProfiles,
  type FeatureProfile,
  type ProfileOptions,
} from "./profiles.js";
export type { KMeansInit } from "./run.js";
export { type SweepOptions, type SweepPoint, type SweepResult, sweepK } from "./sweep.js";
