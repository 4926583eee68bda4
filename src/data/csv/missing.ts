/**
 * Unquoted fields read as missing. A quoted field is never missing in a text column,
 * so `"NA"` is the two letters and `""` the empty string.
 */
export const DEFAULT_MISSING_TOKENS: readonly string[] = [
  "",
  "NA",
  "N/A",
  "n/a",
  "#N/A",
  "NaN",
  "nan",
  "-NaN",
  "-nan",
  "null",
  "NULL",
  "None",
  "<NA>",
];
