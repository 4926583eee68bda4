import { createHmac, timingSafeEqual } from "node:crypto";

/** The headers every webhook request carries. */
export const WEBHOOK_HEADERS = {
  event: "x-trainyard-event",
  delivery: "x-trainyard-delivery",
  /** Unix seconds of the attempt; part of what is signed, so a replay can be refused by age. */
  timestamp: "x-trainyard-timestamp",
  signature: "x-trainyard-signature",
} as const;

/** `sha256=<hex>`: HMAC-SHA256 with the subscription's secret over `<timestamp>.<body>`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver runs: whether the signature header matches the body and timestamp. */
export function verifyWebhook(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
