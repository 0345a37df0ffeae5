import { availableParallelism } from 'node:os';

/** `auto`: a masking thread where the machine has a CPU to spare; `on`: always; `off`: never. */
export type MaskThreads = 'auto' | 'on' | 'off';

/** Whether a database host is this machine (a socket folder, localhost or a loopback address). */
export function isLocalHost(host: string): boolean {
  return host === '' || host.startsWith('/') || host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * Whether a big table's masking may be shared with a second thread. `auto` counts a CPU for the
 * stream's thread and, when a database server of the run (or pg_dump and psql around
 * `pgmask mask`) runs on this machine, one for it, and wants two more: on a machine of two
 * CPUs the second thread measured no faster, even with the server elsewhere, and slower beside it.
 */
export function useMaskThread(mode: MaskThreads, localServer: boolean, cpus = availableParallelism()): boolean {
  if (mode !== 'auto') return mode === 'on';
  return cpus - 1 - (localServer ? 1 : 0) >= 2;
}
