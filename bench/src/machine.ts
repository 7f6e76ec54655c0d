import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

let tasksetFound: boolean | undefined;

export function hasTaskset(): boolean {
  if (tasksetFound === undefined) {
    try {
      execFileSync('taskset', ['-V'], { stdio: 'ignore' });
      tasksetFound = true;
    } catch {
      tasksetFound = false;
    }
  }
  return tasksetFound;
}

/**
 * Moves this process (all its threads) to CPU 1, leaving CPU 0 to the server. Returns false when it
 * could not (no taskset, or a single CPU).
 */
export function pinSelfToCpu1(): boolean {
  if (!hasTaskset() || os.availableParallelism() < 2) return false;
  execFileSync('taskset', ['-a', '-pc', '1', String(process.pid)], { stdio: 'ignore' });
  return true;
}

/** The 1, 5 and 15 minute load averages, as `uptime` shows them. */
export function loadAverage(): [number, number, number] {
  const [one = 0, five = 0, fifteen = 0] = os.loadavg().map((v) => Math.round(v * 100) / 100);
  return [one, five, fifteen];
}

/** Soft and hard `ulimit -n` of a fresh shell (what a spawned server gets). */
export function openFileLimits(): { soft: number; hard: number } {
  const out = execFileSync('sh', ['-c', 'ulimit -n; ulimit -Hn'], { encoding: 'utf8' }).trim().split('\n');
  const parse = (v: string | undefined) => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: parse(out[0]), hard: parse(out[1]) };
}

/**
 * Node raises its soft descriptor limit to the hard one at start, so the hard limit is what bounds the
 * sockets one process (server or generator) can hold. Keeps a margin for the store, logs and listeners.
 */
export function maxSocketsPerProcess(): number {
  return openFileLimits().hard - 200;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  openFiles: { soft: number; hard: number };
}

export function machineInfo(): MachineInfo {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpus: os.availableParallelism(),
    cpuModel: model.trim(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    openFiles: openFileLimits(),
  };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;
