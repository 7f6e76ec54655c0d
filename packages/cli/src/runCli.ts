import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const CLI = path.join(import.meta.dirname, 'main.ts');

/**
 * Runs `latch <args>` from the sources as its own process, as an operator would, with only the
 * settings given (and PATH, HOME). Resolves with stdout and stderr; rejects when it exits non-zero.
 */
export async function runLatch(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ stdout: string; stderr: string }> {
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...base, LOG_LEVEL: 'silent', ...env },
    timeout: 30_000,
  });
  return { stdout: stdout.trim(), stderr: stderr.trim() };
}
