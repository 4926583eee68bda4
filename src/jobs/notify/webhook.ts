import type { ClaimedDelivery } from "../../registry/index.js";
import { signWebhook, WEBHOOK_HEADERS } from "./signature.js";

/** How one attempt went: the receiver's status (when it answered) and an error unless 2xx. */
export interface AttemptResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
}

/** The JSON body of a webhook: the event's payload and the delivery id (stable across retries). */
export function webhookBody(d: ClaimedDelivery): string {
  return JSON.stringify({ delivery: d.id, ...d.payload });
}

/**
 * POSTs one delivery, signed with the subscription's secret. Any 2xx is a success; a redirect,
 * another status, a network error or a timeout is a failed attempt.
 */
export async function sendWebhook(d: ClaimedDelivery, now: Date, timeoutMs: number): Promise<AttemptResult> {
  const body = webhookBody(d);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "trainyard-webhooks/1",
    [WEBHOOK_HEADERS.event]: d.event,
    [WEBHOOK_HEADERS.delivery]: String(d.id),
    [WEBHOOK_HEADERS.timestamp]: timestamp,
  };
  if (d.secret) headers[WEBHOOK_HEADERS.signature] = signWebhook(d.secret, timestamp, body);
  try {
    const res = await fetch(d.target, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Drain the body so the connection is released; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, responseStatus: res.status, error: null };
    return { ok: false, responseStatus: res.status, error: `HTTP ${res.status} ${res.statusText}`.trim() };
  } catch (e) {
    const err = e as Error & { cause?: { message?: string; code?: string } };
    const why =
      err.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : (err.cause?.code ?? err.cause?.message ?? err.message);
    return { ok: false, responseStatus: null, error: `request failed: ${why}` };
  }
}
