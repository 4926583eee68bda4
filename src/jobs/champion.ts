import type { JsonObject } from "../ml/estimator.js";
import type { Registry, ValidationDecision, ValidationRecord } from "../registry/index.js";
import { publish } from "./events.js";
import type { ValidationScores } from "./protocol.js";
import type { PromotionPolicy } from "./queue.js";

export interface Decision {
  decision: ValidationDecision;
  activate: boolean;
  reason: string;
}

const fmt = (x: number) => Number(x.toPrecision(6)).toString();

/**
 * The champion/challenger rule: without a champion the challenger is activated when `auto`;
 * with one it must beat the champion's score by at least `margin` (scores are higher-is-better),
 * and is activated only when `auto` ("passed" leaves the activation to a person).
 */
export function decide(policy: PromotionPolicy, scores: ValidationScores): Decision {
  const { metric, challengerScore, champion } = scores;
  if (!champion) {
    return {
      decision: "no_champion",
      activate: policy.auto,
      reason: `no active version to compare with; challenger ${metric} ${fmt(challengerScore)}${policy.auto ? ", activated" : ", not activated (auto promotion is off)"}`,
    };
  }
  if (champion.score === null) {
    return {
      decision: "rejected",
      activate: false,
      reason: `the champion ${champion.version} could not be scored on the held-out rows (${champion.error ?? "no score"}); kept it`,
    };
  }
  const gain = challengerScore - champion.score;
  const versus = `challenger ${metric} ${fmt(challengerScore)} vs champion ${fmt(champion.score)} (${gain >= 0 ? "+" : ""}${fmt(gain)}, margin ${fmt(policy.margin)})`;
  if (gain < policy.margin)
    return { decision: "rejected", activate: false, reason: `${versus}: not better by the margin` };
  if (!policy.auto)
    return {
      decision: "passed",
      activate: false,
      reason: `${versus}: better by the margin; auto promotion is off`,
    };
  return { decision: "promoted", activate: true, reason: `${versus}: better by the margin` };
}

/** Reads `origin.promotion` of a job; null when the job is not a champion/challenger retraining. */
export function promotionOf(origin: JsonObject): PromotionPolicy | null {
  const p = origin.promotion;
  if (p === null || typeof p !== "object" || Array.isArray(p)) return null;
  const margin = typeof p.margin === "number" && Number.isFinite(p.margin) ? p.margin : 0;
  return { auto: p.auto === true, margin };
}

/**
 * Records the decision on the challenger version, activates it when the rule says so, and
 * announces validation.decided (and model.activated).
 */
export async function applyDecision(
  registry: Registry,
  jobId: string,
  challenger: { name: string; version: string; versionId: number | null },
  policy: PromotionPolicy,
  scores: ValidationScores,
): Promise<{ record: ValidationRecord; activated: boolean }> {
  const d = decide(policy, scores);
  const record = await registry.validations.record({
    modelName: challenger.name,
    jobId,
    metric: scores.metric,
    championVersionId: scores.champion?.versionId ?? null,
    challengerVersionId: challenger.versionId,
    championScore: scores.champion?.score ?? null,
    challengerScore: scores.challengerScore,
    margin: policy.margin,
    decision: d.decision,
    reason: d.reason,
  });
  let activated = false;
  if (d.activate) {
    await registry.models.activate(challenger.name, challenger.version);
    activated = true;
  }
  await publish(registry, "validation.decided", {
    jobId,
    model: challenger.name,
    version: challenger.version,
    metric: scores.metric,
    championVersion: scores.champion?.version ?? null,
    championScore: scores.champion?.score ?? null,
    challengerScore: scores.challengerScore,
    margin: policy.margin,
    decision: d.decision,
    reason: d.reason,
  });
  if (activated) {
    await publish(registry, "model.activated", {
      model: challenger.name,
      version: challenger.version,
      previousVersion: scores.champion?.version ?? null,
      reason: "champion/challenger",
      jobId,
    });
  }
  return { record, activated };
}
