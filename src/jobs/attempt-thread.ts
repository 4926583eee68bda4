import { parentPort, workerData } from "node:worker_threads";
import { pino } from "pino";
import { estimatorFromParts } from "../ml/catalog.js";
import type { JsonObject, Predictor } from "../ml/estimator.js";
import { decodeModel } from "../ml/model-file.js";
import { ConfigError, DataQualityError } from "../training/errors.js";
import { scoreModel, targetScorer } from "../training/evaluate.js";
import type { StoredBytes, TrainingStore } from "../training/store.js";
import { Trainer, type TrainingResult } from "../training/trainer.js";
import type {
  AttemptThreadData,
  ChampionBytes,
  FromThread,
  StoreMethod,
  ToThread,
  ValidationScores,
} from "./protocol.js";

/**
 * One attempt of a job on a worker thread: runs the Trainer with a registry proxy whose calls
 * the parent executes (the database belongs to the parent's thread), and reports progress, log
 * lines and the outcome as messages. See attempt.ts for the parent's side.
 */

// Errors that another attempt would meet again: the data or the configuration is at fault.
const PERMANENT = new Set(["DataQualityError", "ConfigError", "ConflictError"]);

const port = parentPort;
const data = (workerData as { jobAttempt?: AttemptThreadData } | null)?.jobAttempt;
if (port && data) void main(port, data);

async function main(port: NonNullable<typeof parentPort>, data: AttemptThreadData): Promise<void> {
  const send = (m: FromThread) => port.postMessage(m);
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const controller = new AbortController();
  let nextId = 1;
  port.on("message", (m: ToThread) => {
    if (m.type === "cancel") controller.abort(new Error(m.reason));
    else if (m.type === "reply") {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.error) p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
      else p.resolve(m.value);
    }
  });
  const call = <T>(method: StoreMethod, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send({ type: "call", id, method, args });
    });

  const localPaths = new Map<string, string>();
  const store: TrainingStore = {
    runs: {
      start: (fields) => call("runs.start", fields),
      finish: (id, status, fields) => call("runs.finish", id, status, fields),
      record: (fields, startedAt) => call("runs.record", fields, startedAt),
    },
    models: {
      addVersion: (v) => call("models.addVersion", v),
      hasActive: (name) => call("models.hasActive", name),
    },
    artifacts: {
      put: async (key, bytes) => {
        const r = await call<StoredBytes & { localPath: string | null }>("artifacts.put", key, bytes);
        if (r.localPath) localPaths.set(r.uri, r.localPath);
        return { uri: r.uri, checksum: r.checksum, sizeBytes: r.sizeBytes };
      },
      localPath: (uri) => localPaths.get(uri) ?? null,
    },
    datasets: { get: (ref) => call("datasets.get", ref) },
    audit: { record: (e) => call("audit.record", e) },
  };

  // The trainer's structured log lines become the job's log: "message {fields}".
  const logger = pino(
    { level: "info", base: undefined, timestamp: false },
    {
      write(line: string) {
        try {
          const { level, msg, ...fields } = JSON.parse(line) as { level: number; msg?: string };
          const name = level >= 50 ? "error" : level >= 40 ? "warn" : level >= 30 ? "info" : "debug";
          const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
          send({ type: "log", level: name, message: `${msg ?? ""}${extra}` });
        } catch {
          send({ type: "log", level: "info", message: line.trim() });
        }
      },
    },
  );

  try {
    const result = await new Trainer({
      registry: store,
      signal: controller.signal,
      jobId: data.jobId,
      logger,
      onProgress: (p) => send({ type: "progress", stage: p.stage, percent: p.percent, message: p.message }),
    }).run(data.config as never);
    const validation = data.validate ? await scoreChampion(result, (name) => call("champion", name)) : null;
    send({ type: "done", summary: summarize(result), validation });
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    if (controller.signal.aborted) {
      send({ type: "aborted", message: error.message });
    } else {
      const permanent =
        e instanceof DataQualityError || e instanceof ConfigError || PERMANENT.has(error.name);
      send({ type: "error", name: error.name, message: error.message, retryable: !permanent });
    }
  } finally {
    port.close();
  }
}

/** Scores the challenger and the active version on the held-out rows of this training. */
async function scoreChampion(
  result: TrainingResult,
  fetchChampion: (name: string) => Promise<ChampionBytes | null>,
): Promise<ValidationScores> {
  const scorer = targetScorer(result.targetMetric, result.best.model.task);
  const { X, y } = result.heldOut;
  const challengerScore = scoreModel(result.best.model, scorer, X, y);
  const champ = await fetchChampion(result.model.name);
  if (!champ) return { metric: scorer.name, challengerScore, champion: null };
  let score: number | null = null;
  let error: string | null = null;
  try {
    const label = `${result.model.name}@${champ.version}`;
    const model = estimatorFromParts(decodeModel(champ.bytes, label).parts);
    if (model.task !== result.best.model.task) throw new Error(`${label} is a ${model.task} model`);
    score = scoreModel(model as Predictor, scorer, X, y);
    if (!Number.isFinite(score)) score = null;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  return {
    metric: scorer.name,
    challengerScore,
    champion: { versionId: champ.versionId, version: champ.version, score, error },
  };
}

/** What a job's result records: the leaderboard, the best model and where it went. */
function summarize(r: TrainingResult): JsonObject {
  const finite = (x: number | null) => (x === null || !Number.isFinite(x) ? null : x);
  return {
    task: r.task,
    target: r.target,
    targetMetric: r.targetMetric,
    bestAlgorithm: r.best.algorithm,
    bestParams: r.best.params,
    metrics: Object.fromEntries(
      Object.entries(r.best.evaluation.metrics).map(([k, v]) => [k, finite(v)]),
    ) as JsonObject,
    model: {
      name: r.model.name,
      version: r.model.version,
      versionId: r.model.versionRecord?.id ?? null,
      active: r.model.versionRecord?.active ?? false,
    },
    leaderboard: r.leaderboard.map((x) => ({
      rank: x.rank,
      algorithm: x.algorithm,
      params: x.params,
      cvMean: finite(x.cvMean),
      cvStd: finite(x.cvStd),
      testScore: finite(x.testScore),
      fitMs: Math.round(x.fitMs),
      predictLatencyUs: finite(x.predictLatencyUs),
      runId: x.runId,
      error: x.error,
      trials: x.trials,
    })),
    runs: r.leaderboard.map((x) => x.runId).filter((id): id is number => id !== null),
    bestRunId: r.best.runId,
    data: {
      path: r.data.path,
      rows: r.data.rows,
      trainSize: r.data.trainSize,
      testSize: r.data.testSize,
      features: r.data.features.length,
    },
    durationsMs: Object.fromEntries(
      Object.entries(r.durationsMs).map(([k, v]) => [k, Math.round(v)]),
    ) as JsonObject,
    warnings: r.warnings,
  };
}
