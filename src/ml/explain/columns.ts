import { type Cell, type Column, cell } from "../../data/column.js";
import { InputError } from "../errors.js";

/** A column of `n` rows all holding `value` (a number, a level name, a boolean). */
export function constantColumn(template: Column, n: number, value: Cell): Column {
  switch (template.kind) {
    case "numeric":
    case "datetime":
      return { ...template, values: new Float64Array(n).fill(value === null ? Number.NaN : Number(value)) };
    case "boolean":
      return { ...template, values: new Uint8Array(n).fill(value === null ? 255 : value ? 1 : 0) };
    case "categorical": {
      const code = value === null ? -1 : template.levels.indexOf(String(value));
      if (value !== null && code < 0) {
        throw new InputError(`"${String(value)}" is not a level of "${template.name}"`, template.name);
      }
      return { ...template, codes: new Int32Array(n).fill(code) };
    }
  }
}

/** Row `i` of `from` copied into row `j` of `to` (same kind; categorical codes matched by level name). */
export function copyCell(from: Column, i: number, to: Column, j: number): void {
  if (to.kind === "categorical") {
    const v = cell(from, i);
    to.codes[j] = v === null ? -1 : to.levels.indexOf(String(v));
  } else if (from.kind !== "categorical" && to.kind === from.kind) {
    (to.values as Float64Array | Uint8Array)[j] = from.values[i];
  } else {
    throw new InputError(
      `column "${to.name}" is ${to.kind} here but ${from.kind} in the row to explain`,
      to.name,
    );
  }
}

/** An empty column of `n` rows of the same kind and levels. */
export function emptyLike(c: Column, n: number): Column {
  if (c.kind === "categorical") return { ...c, codes: new Int32Array(n) };
  if (c.kind === "boolean") return { ...c, values: new Uint8Array(n) };
  return { ...c, values: new Float64Array(n) };
}
