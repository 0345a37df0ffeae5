import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChunkWriter } from '../../src/copy/chunk-writer.js';
import type { LazyRow } from '../../src/copy/lazy-row.js';
import { createRowRewriter } from '../../src/copy/row-rewriter.js';
import { RowSplitter } from '../../src/copy/row-splitter.js';

export type Row = (string | null)[];

/** Encodes rows as COPY text with the codec's own writer. */
export function encodeRows(rows: readonly Row[]): Buffer {
  const chunks: Buffer[] = [];
  const writer = new ChunkWriter((chunk) => chunks.push(Buffer.from(chunk)), 256);
  for (const row of rows) {
    row.forEach((value, i) => {
      if (i > 0) writer.writeByte(0x09);
      writer.writeField(value);
    });
    writer.writeByte(0x0a);
  }
  writer.flush();
  return Buffer.concat(chunks);
}

/** Cuts `data` at the given positions (sorted, deduplicated, inside the data). */
export function cut(data: Buffer, positions: readonly number[]): Buffer[] {
  const points = [...new Set(positions.filter((p) => p > 0 && p < data.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(data.subarray(from, p));
    from = p;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

/** Every byte as its own chunk. */
export function bytewise(data: Buffer): Buffer[] {
  return Array.from({ length: data.length }, (_, i) => data.subarray(i, i + 1));
}

/** A parsed row with where it was found. */
export interface ParsedRow {
  readonly values: Row;
  readonly line: number;
  readonly offset: number;
}

/** Splits and decodes chunks with the stream-free splitter. */
export function parseChunks(chunks: readonly Buffer[], columns: number, table?: string): ParsedRow[] {
  const splitter = new RowSplitter({ table, columns });
  const rows: ParsedRow[] = [];
  const onRow = (row: LazyRow): void => {
    rows.push({ values: Array.from({ length: row.fieldCount }, (_, i) => row.get(i)), line: row.line, offset: row.offset });
  };
  for (const chunk of chunks) splitter.push(chunk, onRow);
  splitter.end();
  return rows;
}

/** Decodes every field and sets it back, so that each goes through unescape and escape. */
export function reencodeEveryField(row: LazyRow): void {
  for (let i = 0; i < row.fieldCount; i++) row.set(i, row.get(i));
}

/** Every chunk a stream gives, joined. */
export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Runs chunks through a transform stream and returns the output bytes. */
export async function transformChunks(chunks: readonly Buffer[], transform: NodeJS.ReadWriteStream): Promise<Buffer> {
  const out: Buffer[] = [];
  await pipeline(
    Readable.from(chunks, { objectMode: false }),
    transform,
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        out.push(chunk);
        callback();
      },
    }),
  );
  return Buffer.concat(out);
}

/** Runs chunks through createRowRewriter and returns the output bytes. */
export function rewriteChunks(chunks: readonly Buffer[], options: { columns: number; table?: string; rewrite?: (row: LazyRow) => void; chunkSize?: number }): Promise<Buffer> {
  return transformChunks(chunks, createRowRewriter(options));
}
