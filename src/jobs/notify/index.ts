export * from "./dispatcher.js";
export * from "./email.js";
export * from "./format.js";
export * from "./signature.js";
export * from "./webhook.js";
