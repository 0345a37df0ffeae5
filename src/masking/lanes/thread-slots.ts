import { availableParallelism } from 'node:os';

/** The masking threads one run may have at once: one CPU stays with the streams. */
export class ThreadSlots {
  private running = 0;

  constructor(readonly max: number = Math.max(1, availableParallelism() - 1)) {}

  /** Takes a slot for a thread about to start; false when every slot is taken. */
  take(): boolean {
    if (this.running >= this.max) return false;
    this.running++;
    return true;
  }

  /** Gives back the slot of a thread that has ended. */
  release(): void {
    this.running--;
  }
}
