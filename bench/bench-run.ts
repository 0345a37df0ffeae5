/**
 * Runs a pipeline of processes (`a | b | c`), the data flowing from child to child without
 * passing through this process, and measures its wall time and the peak RSS of one stage.
 * Peak RSS comes from `/usr/bin/time` when it is installed (exact), else from polling the
 * stage's VmHWM in /proc (may miss a peak in the last 50 ms).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One process of a pipeline. */
export interface Stage {
  readonly command: string;
  readonly args: readonly string[];
  /** Measure this stage's peak RSS and CPU time. */
  readonly measure?: boolean;
}

/** What one pipeline run measured. */
export interface RunResult {
  readonly seconds: number;
  /** Peak resident set of the measured stage, in MiB (undefined when no stage is measured). */
  readonly peakRssMiB: number | undefined;
  /** User + system CPU seconds of the measured stage (only with /usr/bin/time). */
  readonly cpuSeconds: number | undefined;
  /** How the peak was read: `time` or `proc`. */
  readonly rssSource: 'time' | 'proc' | undefined;
  /** CPU seconds the whole machine spent busy during the run (every process, the server's too). */
  readonly machineCpuSeconds: number | undefined;
}

/** Busy and total jiffies of the machine so far, from /proc/stat (undefined where it is missing). */
function machineJiffies(): { busy: number } | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return { busy: user! + nice! + system! + irq! + softirq! + (steal ?? 0) };
  } catch {
    return undefined;
  }
}

const TIME = '/usr/bin/time';

function vmHwmKiB(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `stages` as one pipeline with `env`; rejects when any stage exits non-zero, with the
 * tail of that stage's stderr (the bench's own data only: nothing personal in it).
 */
export async function runPipeline(stages: readonly Stage[], env: NodeJS.ProcessEnv, cwd: string): Promise<RunResult> {
  const useTime = existsSync(TIME);
  const timeFile = join(tmpdir(), `pgmask-bench-time-${process.pid}-${Date.now()}`);
  const children: ChildProcess[] = [];
  const stderr: string[] = stages.map(() => '');
  const started = performance.now();
  const jiffiesBefore = machineJiffies();
  let measured: ChildProcess | undefined;
  let prev: ChildProcess | undefined;
  for (const [i, stage] of stages.entries()) {
    const wrap = stage.measure && useTime;
    const command = wrap ? TIME : stage.command;
    const args = wrap ? ['-f', '%M %U %S', '-o', timeFile, stage.command, ...stage.args] : [...stage.args];
    const last = i === stages.length - 1;
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: [prev ? prev.stdout! : 'ignore', last ? 'ignore' : 'pipe', 'pipe'],
    });
    // The next stage reads the pipe itself; this process lets go of its end.
    if (prev) prev.stdout!.destroy();
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr[i] = (stderr[i]! + chunk.toString()).slice(-4000);
    });
    if (stage.measure) measured = child;
    children.push(child);
    prev = child;
  }
  let polledKiB = 0;
  const poll =
    measured && !useTime
      ? setInterval(() => {
          const kib = vmHwmKiB(measured!.pid!);
          if (kib !== undefined && kib > polledKiB) polledKiB = kib;
        }, 50)
      : undefined;
  const codes = await Promise.all(children.map((child) => new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))));
  const seconds = (performance.now() - started) / 1000;
  const jiffiesAfter = machineJiffies();
  // The kernel counts in USER_HZ, 100 per second on Linux.
  const machineCpuSeconds = jiffiesBefore && jiffiesAfter ? (jiffiesAfter.busy - jiffiesBefore.busy) / 100 : undefined;
  if (poll) clearInterval(poll);
  const failed = codes.findIndex((c) => c !== 0);
  if (failed >= 0) {
    rmSync(timeFile, { force: true });
    throw new Error(`${stages[failed]!.command} exited with ${codes[failed]}:\n${stderr[failed]}`);
  }
  if (!measured) return { seconds, peakRssMiB: undefined, cpuSeconds: undefined, rssSource: undefined, machineCpuSeconds };
  if (useTime) {
    const [kib, user, sys] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    rmSync(timeFile, { force: true });
    return { seconds, peakRssMiB: kib! / 1024, cpuSeconds: user! + sys!, rssSource: 'time', machineCpuSeconds };
  }
  return { seconds, peakRssMiB: polledKiB / 1024, cpuSeconds: undefined, rssSource: 'proc', machineCpuSeconds };
}

/** The 1-minute load average and the machine's CPU count, from /proc. */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}
