import { TrainyardError } from "../data/errors.js";
import type { JsonObject } from "../ml/estimator.js";
import { parseTrainingConfig } from "../training/config.js";
import { ConfigError } from "../training/errors.js";

/**
 * Bad input to a schedule, trigger or subscription; every problem names its field by JSON path
 * (`/cron`, `/conditions/newRows`, …) so the API can answer 400 with the field named.
 */
export class InvalidInputError extends TrainyardError {
  override name = "InvalidInputError";
  constructor(
    what: string,
    readonly problems: readonly { path: string; message: string }[],
  ) {
    super(`invalid ${what}: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}`);
  }
}

/**
 * When retraining is worth it. Each condition present is checked; the retraining fires when any
 * holds (a schedule without conditions always fires).
 */
export interface RetrainConditions {
  /** New rows appended to the dataset since the last training on it ≥ this. */
  newRows?: number;
  /** The active version is older than this many days. */
  maxAgeDays?: number;
  /** The dataset has been marked ready. */
  datasetReady?: boolean;
}

/** The champion/challenger policy stored with a schedule or trigger (see jobs' PromotionPolicy). */
export interface Promotion {
  auto: boolean;
  margin: number;
}

export const DEFAULT_PROMOTION: Promotion = { auto: false, margin: 0 };

type Problems = { path: string; message: string }[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks conditions; unknown keys and non-positive numbers are problems. */
export function parseConditions(input: unknown, problems: Problems): RetrainConditions {
  if (input === undefined || input === null) return {};
  if (!isObject(input)) {
    problems.push({ path: "/conditions", message: "must be an object" });
    return {};
  }
  const out: RetrainConditions = {};
  for (const [key, value] of Object.entries(input)) {
    const path = `/conditions/${key}`;
    if (key === "newRows") {
      if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
        problems.push({ path, message: "must be an integer ≥ 1" });
      else out.newRows = value;
    } else if (key === "maxAgeDays") {
      if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
        problems.push({ path, message: "must be a number of days > 0" });
      else out.maxAgeDays = value;
    } else if (key === "datasetReady") {
      if (typeof value !== "boolean") problems.push({ path, message: "must be true or false" });
      else if (value) out.datasetReady = true;
    } else {
      problems.push({ path, message: "is not a condition (newRows, maxAgeDays, datasetReady)" });
    }
  }
  return out;
}

export function parsePromotion(input: unknown, problems: Problems): Promotion {
  if (input === undefined || input === null) return { ...DEFAULT_PROMOTION };
  if (!isObject(input)) {
    problems.push({ path: "/promotion", message: "must be an object { auto, margin }" });
    return { ...DEFAULT_PROMOTION };
  }
  const out = { ...DEFAULT_PROMOTION };
  for (const [key, value] of Object.entries(input)) {
    const path = `/promotion/${key}`;
    if (key === "auto") {
      if (typeof value !== "boolean") problems.push({ path, message: "must be true or false" });
      else out.auto = value;
    } else if (key === "margin") {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        problems.push({ path, message: "must be a number ≥ 0" });
      else out.margin = value;
    } else problems.push({ path, message: "is not a promotion setting (auto, margin)" });
  }
  return out;
}

/** Checks a training configuration; its problems are reported under `/config`. */
export function checkConfig(input: unknown, problems: Problems): JsonObject {
  if (!isObject(input)) {
    problems.push({ path: "/config", message: "must be a training configuration object" });
    return {};
  }
  try {
    parseTrainingConfig(input);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) problems.push({ path: `/config${p.path}`, message: p.message });
  }
  return input as JsonObject;
}

/** The dataset a training configuration names by registry id or name, if any. */
export function configDatasetRef(config: JsonObject): number | string | null {
  const ds = config.dataset;
  if (!isObject(ds)) return null;
  const ref = ds.datasetId;
  return typeof ref === "number" || typeof ref === "string" ? ref : null;
}

/** The model a training configuration names, if any. */
export function configModelName(config: JsonObject): string | null {
  const m = config.model;
  return isObject(m) && typeof m.name === "string" ? m.name : null;
}

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function checkName(name: unknown, problems: Problems, path = "/name"): string {
  if (typeof name !== "string" || !NAME_PATTERN.test(name)) {
    problems.push({ path, message: "must be 1–100 letters, digits, _ . - starting with a letter or digit" });
    return "";
  }
  return name;
}
