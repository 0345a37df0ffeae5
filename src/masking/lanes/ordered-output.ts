/** A place in an `OrderedOutput` for bytes made later. */
export interface OutputSlot {
  /** The slot's bytes are ready: `write` hands them to `push` when the slot's turn comes. */
  fill(write: (push: (chunk: Buffer) => void) => void): void;
  /** The slot's bytes cannot be made: the output fails. */
  fail(error: Error): void;
}

interface Slot extends OutputSlot {
  write: ((push: (chunk: Buffer) => void) => void) | undefined;
}

/**
 * Keeps a stream's output in order while parts of it are made on another thread: chunks
 * written after a reserved slot wait until the slot is filled and written.
 */
export class OrderedOutput {
  private readonly queue: (Buffer | Slot)[] = [];
  private slots = 0;
  private readonly waiters: { max: number; resolve: () => void; reject: (error: Error) => void }[] = [];
  /** The first failure; the output takes nothing after it. */
  error: Error | undefined;

  /**
   * @param push takes the bytes in order
   * @param onError told of the first failure of a slot, or of a slot's `write`
   */
  constructor(
    private readonly push: (chunk: Buffer) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Slots reserved and not yet written. */
  get open(): number {
    return this.slots;
  }

  /** Writes a chunk now, or after the slots reserved before it. */
  write(chunk: Buffer): void {
    if (this.queue.length === 0) this.push(chunk);
    else this.queue.push(chunk);
  }

  /** Reserves the next place in the output. */
  reserve(): OutputSlot {
    const slot: Slot = {
      write: undefined,
      fill: (write) => {
        slot.write = write;
        this.drain();
      },
      fail: (error) => this.fail(error),
    };
    this.queue.push(slot);
    this.slots++;
    return slot;
  }

  /** Resolves once at most `max` slots are open; rejects with the output's failure. */
  settled(max: number): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    if (this.slots <= max) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ max, resolve, reject }));
  }

  private drain(): void {
    while (this.queue.length > 0 && !this.error) {
      const head = this.queue[0]!;
      if (Buffer.isBuffer(head)) {
        this.queue.shift();
        this.push(head);
        continue;
      }
      if (head.write === undefined) break;
      this.queue.shift();
      this.slots--;
      try {
        head.write(this.push);
      } catch (error) {
        this.fail(error as Error);
        return;
      }
    }
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      if (this.slots <= waiter.max) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      } else i++;
    }
  }

  private fail(error: Error): void {
    if (this.error) return;
    this.error = error;
    this.queue.length = 0;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    this.onError(error);
  }
}
