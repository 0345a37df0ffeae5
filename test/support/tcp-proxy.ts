import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP proxy on 127.0.0.1 that a test can cut, as a broken network or a dying load balancer would. */
export interface TcpProxy {
  /** The port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** Bytes forwarded from the server to clients, and from clients to the server, since the start. */
  readonly bytes: { readonly down: number; readonly up: number };
  /** Connections open through the proxy now. */
  readonly open: number;
  /** How many times the proxy has cut its connections. */
  readonly cuts: number;
  /**
   * Cuts every open connection, both sides at once: with `reset`, a TCP RST (a crashed peer);
   * otherwise a FIN (a peer that closed). New connections are still accepted afterwards.
   */
  cut(options?: { reset?: boolean }): void;
  /** Cuts every open connection once `down` (or `up`) bytes more have been forwarded in that direction. */
  cutAfter(bytes: number, direction: 'down' | 'up', options?: { reset?: boolean }): void;
  /**
   * Stops forwarding in one direction (`down`: server to clients, `up`: clients to server) or
   * both, on every connection now open and every one opened later, without closing anything:
   * the proxy stops reading, so the sender's buffers fill and the peer hears nothing, as
   * behind a hung load balancer or a dropped route. Bytes already read are held back.
   */
  stall(direction: 'down' | 'up' | 'both'): void;
  /** Stalls once `down` (or `up`) bytes more have been forwarded in that direction (see `stall`). */
  stallAfter(bytes: number, direction: 'down' | 'up', stalled?: 'down' | 'up' | 'both'): void;
  /** Rewrites a connection string that points at the proxied server so that it points at the proxy. */
  via(url: string): string;
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on 127.0.0.1 that forwards every connection to `target` (a loopback
 * address too: the tests never reach outside the machine).
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(target.host)) throw new Error(`the test proxy forwards to loopback only, not ${target.host}`);
  const pairs = new Set<[Socket, Socket]>();
  const bytes = { down: 0, up: 0 };
  let cuts = 0;
  let armed: { direction: 'down' | 'up'; at: number; reset: boolean } | undefined;
  let stallArmed: { direction: 'down' | 'up'; at: number; stalled: 'down' | 'up' | 'both' } | undefined;
  const stalled = { down: false, up: false };
  const sockets = new Set<{ reader: Socket; direction: 'down' | 'up' }>();
  const stall = (direction: 'down' | 'up' | 'both'): void => {
    stallArmed = undefined;
    if (direction !== 'up') stalled.down = true;
    if (direction !== 'down') stalled.up = true;
    for (const s of sockets) if (stalled[s.direction]) s.reader.pause();
  };

  const cut = (options: { reset?: boolean } = {}): void => {
    armed = undefined;
    cuts++;
    for (const pair of pairs) {
      for (const socket of pair) {
        if (options.reset) socket.resetAndDestroy();
        else socket.destroy();
      }
    }
    pairs.clear();
  };
  const count = (direction: 'down' | 'up', n: number): void => {
    bytes[direction] += n;
    if (armed && armed.direction === direction && bytes[direction] >= armed.at) cut({ reset: armed.reset });
    if (stallArmed && stallArmed.direction === direction && bytes[direction] >= stallArmed.at) stall(stallArmed.stalled);
  };

  const server = createServer((client) => {
    const upstream = createConnection({ host: target.host, port: target.port });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    const readers = [
      { reader: client, direction: 'up' as const },
      { reader: upstream, direction: 'down' as const },
    ];
    for (const r of readers) sockets.add(r);
    const forget = (): void => {
      for (const r of readers) sockets.delete(r);
    };
    client.on('close', forget);
    upstream.on('close', forget);
    // A stalled direction holds back what it read and reads no more (pausing makes the kernel's buffers fill).
    const forward = (from: Socket, to: Socket, direction: 'down' | 'up'): void => {
      const held: Buffer[] = [];
      from.on('data', (chunk: Buffer) => {
        if (stalled[direction]) {
          held.push(chunk);
          from.pause();
          return;
        }
        if (!to.write(chunk)) from.pause();
        count(direction, chunk.length);
      });
      to.on('drain', () => {
        if (!stalled[direction]) from.resume();
      });
    };
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
    if (stalled.up) client.pause();
    if (stalled.down) upstream.pause();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    bytes,
    get open() {
      return pairs.size;
    },
    get cuts() {
      return cuts;
    },
    cut,
    cutAfter(n, direction, options = {}) {
      armed = { direction, at: bytes[direction] + n, reset: options.reset ?? false };
    },
    stall,
    stallAfter(n, direction, which = 'both') {
      stallArmed = { direction, at: bytes[direction] + n, stalled: which };
    },
    via(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
