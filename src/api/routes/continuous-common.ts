import { Type } from "@sinclair/typebox";
import { InvalidInputError } from "../../registry/continuous-input.js";
import { HttpProblem } from "../problem.js";

// Shared by the schedule, trigger, subscription and validation routes (not a route plugin).

/** Runs a store call; its InvalidInputError becomes a 400 naming each field as `body/<path>`. */
export async function checked<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof InvalidInputError) {
      throw new HttpProblem(
        400,
        e.message,
        e.problems.map((p) => ({ field: `body${p.path}`, message: p.message })),
        "validation",
      );
    }
    throw e;
  }
}

export const Conditions = Type.Object(
  {
    newRows: Type.Optional(
      Type.Integer({ minimum: 1, description: "New rows since the last training on the dataset ≥ this" }),
    ),
    maxAgeDays: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, description: "The active version is older than this many days" }),
    ),
    datasetReady: Type.Optional(Type.Boolean({ description: "The dataset was marked ready" })),
  },
  { additionalProperties: false, description: "Fires when any holds" },
);

export const Promotion = Type.Object(
  {
    auto: Type.Optional(
      Type.Boolean({
        description: "Activate the retrained model when it beats the active one (default false)",
      }),
    ),
    margin: Type.Optional(
      Type.Number({ minimum: 0, description: "By at least this much on the target metric (default 0)" }),
    ),
  },
  { additionalProperties: false },
);

export const Config = Type.Object(
  {},
  { additionalProperties: true, description: "A training configuration (as for POST /v1/train)" },
);

export const Name = Type.String({ minLength: 1, maxLength: 100, pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" });

export const iso = (d: Date | null) => (d === null ? null : d.toISOString());
