import type { JobEvent } from "./queue.js";

/** Subscribers of job events; a throwing listener does not stop the others (or the job). */
export class Listeners {
  private readonly set = new Set<(e: JobEvent) => void>();

  add(listener: (e: JobEvent) => void): () => void {
    this.set.add(listener);
    return () => {
      this.set.delete(listener);
    };
  }

  emit(event: JobEvent): void {
    for (const l of this.set) {
      try {
        l(event);
      } catch {
        // A subscriber's bug is its own.
      }
    }
  }
}
