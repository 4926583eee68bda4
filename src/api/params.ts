import { Type } from "@sinclair/typebox";

/** A record reference in a path: a numeric id or a name. */
export const IdOrName = Type.String({ minLength: 1, maxLength: 200, description: "id or name" });

export function idOrName(ref: string): number | string {
  return /^\d+$/.test(ref) ? Number(ref) : ref;
}

/** The problem document every error response carries (RFC 7807). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({ field: Type.String(), message: Type.String(), row: Type.Optional(Type.Integer()) }),
      ),
    ),
  },
  { $id: "Problem", description: "RFC 7807 problem details" },
);
