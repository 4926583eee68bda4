import type { JsonObject } from "../ml/estimator.js";
import type { EventName, Registry } from "../registry/index.js";

type PublishListener = (event: EventName, queued: number) => void;
const listeners = new Set<PublishListener>();

/** Called after each publish in this process (the dispatcher wakes up instead of waiting to poll). */
export function onPublished(listener: PublishListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A failure to queue a notification is reported as a process warning (on stderr). */
function reportFailure(event: EventName, error: unknown): void {
  process.emitWarning(
    `trainyard: could not queue the notification ${event}: ${error instanceof Error ? error.message : String(error)}`,
  );
}

/**
 * Announces an event of a workspace: queues a delivery for every subscriber (webhook or e-mail)
 * in the database's outbox, which a dispatcher sends with retries. Never throws: a failure to
 * notify must not fail the training or activation that caused it. Returns how many deliveries
 * were queued.
 */
export async function publish(registry: Registry, event: EventName, data: JsonObject): Promise<number> {
  try {
    const queued = await registry.subscriptions.enqueue(event, {
      event,
      workspace: registry.workspace,
      at: new Date().toISOString(),
      data,
    });
    if (queued > 0) for (const l of listeners) l(event, queued);
    return queued;
  } catch (e) {
    // The outbox is best effort by design; the caller's outcome is already recorded.
    reportFailure(event, e);
    return 0;
  }
}
