/**
 * Runs `work` now and every `intervalMs`, never two at once (a run still going when the next
 * is due is skipped); `stop` clears the timer and waits for a run in progress. The timer does
 * not keep the process alive.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<unknown> | null = null;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** The run in progress, if any. */
  get running(): Promise<unknown> | null {
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    const run = () => {
      if (this.current) return;
      this.current = this.work()
        .catch(this.onError)
        .finally(() => {
          this.current = null;
        });
    };
    this.timer = setInterval(run, this.intervalMs);
    this.timer.unref();
    run();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.current;
  }
}
