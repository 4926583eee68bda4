export * from "./attempt.js";
export * from "./bullmq.js";
export * from "./champion.js";
export * from "./embedded.js";
export * from "./events.js";
export * from "./factory.js";
export type { ValidationScores } from "./protocol.js";
export * from "./queue.js";
