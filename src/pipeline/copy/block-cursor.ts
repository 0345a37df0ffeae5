/** Heap blocks [fromBlock, toBlock) of a table; an undefined bound is the table's start or end. */
export interface BlockRange {
  /** First block; undefined: from the table's start. */
  readonly fromBlock: number | undefined;
  /** Block the range stops before; undefined: to the table's end, whatever its size by then. */
  readonly toBlock: number | undefined;
}

/**
 * The heap blocks of one table not yet handed out, shared by every job that copies it. Each
 * `take` hands out the next range from the front: a share of what is left (`left / parts`), at
 * least `minBlocks`, so that ranges shrink as the table is used up and the jobs copying it at the
 * end finish together; a job that runs out of other work while the table is still being copied
 * takes ranges of the rest. The first range has no lower bound and the last no upper bound
 * (rows may sit in blocks past the size measured at the start): the ranges follow one another,
 * and together read every row exactly once. A rest smaller than `minBlocks` joins the range
 * before it.
 *
 * @example
 * ```ts
 * const cursor = new BlockCursor(blocks, 1024, 4);
 * for (let range = cursor.take(); range; range = cursor.take()) await copyRange(range);
 * ```
 */
export class BlockCursor {
  private next = 0;
  private ended = false;

  /**
   * @param blocks heap blocks of the table when the run measured it
   * @param minBlocks blocks a range holds at least (but the last)
   * @param parts the share of what is left that a range takes: 1 / parts
   */
  constructor(
    readonly blocks: number,
    readonly minBlocks: number,
    readonly parts: number,
  ) {}

  /** The next range, or undefined once the last (open-ended) one was handed out. */
  take(): BlockRange | undefined {
    if (this.ended) return undefined;
    const from = this.next;
    const left = this.blocks - from;
    const size = Math.max(1, this.minBlocks, Math.ceil(left / Math.max(1, this.parts)));
    const fromBlock = from === 0 ? undefined : from;
    if (size + this.minBlocks > left) {
      this.ended = true;
      return { fromBlock, toBlock: undefined };
    }
    this.next = from + size;
    return { fromBlock, toBlock: this.next };
  }

  /** Blocks of the measured size not handed out yet (0 once the last range was). */
  get left(): number {
    return this.ended ? 0 : this.blocks - this.next;
  }

  /** Whether every range was handed out. */
  get exhausted(): boolean {
    return this.ended;
  }
}
