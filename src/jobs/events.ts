import type { JsonObject } from "../ml/estimator.js";
import type { EventName, Registry } from "../registry/index.js";

/**
 * Announces an event of a workspace: queues a delivery for every subscriber (webhook or e-mail)
 * in the database's outbox, which a dispatcher sends with retries. Never throws: a failure to
 * notify must not fail the training or activation that caused it.
 */
export async function publish(registry: Registry, event: EventName, data: JsonObject): Promise<void> {
  try {
    await registry.subscriptions.enqueue(event, {
      event,
      workspace: registry.workspace,
      at: new Date().toISOString(),
      data,
    });
  } catch {
    // The outbox is best effort by design; the caller's outcome is already recorded.
  }
}
