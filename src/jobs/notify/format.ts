import type { Json, JsonObject } from "../../ml/estimator.js";

/** A readable e-mail for an event: a subject line and a plain-text body. */
export interface Message {
  subject: string;
  text: string;
}

function str(data: JsonObject, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = data[k];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  }
  return null;
}

function obj(v: Json | undefined): JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v : {};
}

function lines(value: JsonObject, indent = ""): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? [`${indent}${k}:`, ...lines(v, `${indent}  `)]
      : [`${indent}${k}: ${Array.isArray(v) ? JSON.stringify(v) : String(v)}`],
  );
}

/** The subject and text of an event's e-mail (payload as published: event, workspace, at, data). */
export function formatMessage(event: string, payload: JsonObject): Message {
  const data = obj(payload.data);
  const model = str(data, "modelName", "model", "name");
  const version = str(data, "version", "modelVersion");
  const job = str(data, "jobId", "id");
  const onModel = model ? ` - model ${model}${version ? `@${version}` : ""}` : "";
  let subject: string;
  let summary: string;
  switch (event) {
    case "job.completed":
      subject = `Job ${job ?? ""} completed${onModel}`;
      summary = `The training job ${job ?? ""} finished successfully.`;
      break;
    case "job.failed":
      subject = `Job ${job ?? ""} failed${onModel}`;
      summary = `The training job ${job ?? ""} failed: ${str(data, "error", "message") ?? "no reason given"}.`;
      break;
    case "model.activated":
      subject = `Model ${model ?? ""}${version ? `@${version}` : ""} activated`;
      summary = `Version ${version ?? "?"} of model ${model ?? "?"} now serves predictions.`;
      break;
    case "validation.decided": {
      const decision = str(data, "decision") ?? "decided";
      subject = `Validation of ${model ?? "a model"}: ${decision}`;
      const metric = str(data, "metric") ?? "the target metric";
      summary =
        `Challenger ${str(data, "challengerScore") ?? "?"} vs champion ${str(data, "championScore") ?? "?"} ` +
        `on ${metric}: ${decision}. ${str(data, "reason") ?? ""}`.trim();
      break;
    }
    default:
      subject = `Event ${event}`;
      summary = `trainyard sent the event ${event}.`;
  }
  const text = [
    summary,
    "",
    `Event: ${event}`,
    `Workspace: ${str(payload, "workspace") ?? "default"}`,
    `At: ${str(payload, "at") ?? ""}`,
    "",
    "Details:",
    ...lines(data, "  "),
    "",
    "-- ",
    "trainyard notifications",
  ].join("\n");
  return { subject: `[trainyard] ${subject.replace(/\s+/g, " ").trim()}`, text };
}
