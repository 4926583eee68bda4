import type { Registry } from "../registry/index.js";
import { BullMQQueue } from "./bullmq.js";
import { EmbeddedQueue, type EmbeddedQueueOptions } from "./embedded.js";
import type { JobQueue } from "./queue.js";

export interface CreateQueueOptions extends Omit<EmbeddedQueueOptions, "registry"> {
  /** Any workspace of the database the jobs live in. */
  registry: Registry;
  /** Redis URL: the BullMQ engine (jobs run in `trainyard worker` processes); else the embedded one. */
  redisUrl?: string;
  /** The BullMQ queue's name (default "trainyard-training"). */
  queueName?: string;
}

/**
 * The job queue a server uses: BullMQ on Redis when `redisUrl` is given (TRAINYARD_REDIS_URL),
 * else the embedded engine running jobs on this process's threads. Started and ready to take jobs.
 */
export async function createQueue(options: CreateQueueOptions): Promise<JobQueue> {
  if (options.redisUrl) {
    const queue = new BullMQQueue({
      registry: options.registry,
      redisUrl: options.redisUrl,
      queueName: options.queueName,
    });
    try {
      await queue.ready();
    } catch (e) {
      await queue.close();
      throw e;
    }
    return queue;
  }
  const queue = new EmbeddedQueue(options);
  await queue.start();
  return queue;
}
