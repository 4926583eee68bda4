import type { TrainingProgress } from "../training/trainer.js";
import type { CliIo } from "./output.js";

/**
 * Training progress on stderr: a redrawn bar on a terminal, one plain line per stage otherwise
 * (logs and CI output stay readable). Stdout is kept for the result.
 */
export function progressReporter(io: CliIo): { update(p: TrainingProgress): void; done(): void } {
  const tty = io.isTTY;
  let lastStage = "";
  let drawn = false;
  return {
    update(p) {
      if (tty) {
        const width = 30;
        const filled = Math.round((p.percent / 100) * width);
        const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
        io.stderr.write(
          `\r${bar} ${p.percent.toFixed(0).padStart(3)}%  ${p.message.slice(0, 60).padEnd(60)}`,
        );
        drawn = true;
      } else if (p.stage !== lastStage) {
        io.stderr.write(`[${p.percent.toFixed(0).padStart(3)}%] ${p.message}\n`);
      }
      lastStage = p.stage;
    },
    done() {
      if (drawn) io.stderr.write("\n");
    },
  };
}
