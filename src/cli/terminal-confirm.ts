import { createInterface } from 'node:readline/promises';
import type { ProgressView } from './progress-view.js';

/**
 * The `confirm` of a run on a terminal: asks a yes/no question on `output` (true only for `y` or
 * `yes`) with the progress view paused, so that no picture is drawn over the question or the
 * answer being typed; the view draws again below them.
 */
export function terminalConfirm(view: ProgressView, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): (question: string) => Promise<boolean> {
  return (question) =>
    view.pausedWhile(async () => {
      const rl = createInterface({ input, output });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    });
}
