import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The MLS working group's test vectors live beside the repository, in `../shared/mls-test-vectors/`
 * relative to the repo root; they are never copied into the project. In a `git worktree` checkout
 * the same folder is found beside the main checkout (read from the worktree's `.git` file). CI
 * always has the folder: there its absence fails the run; elsewhere the suite says loudly that it
 * did not run, and why.
 */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const RELATIVE = join('..', 'shared', 'mls-test-vectors');

function mainCheckoutRoot(repoRoot: string): string | undefined {
  const dotGit = join(repoRoot, '.git');
  if (!existsSync(dotGit) || statSync(dotGit).isDirectory()) return undefined;
  // A worktree's .git is a file "gitdir: <main>/.git/worktrees/<name>".
  const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (!gitdir) return undefined;
  const absolute = isAbsolute(gitdir) ? gitdir : resolve(repoRoot, gitdir);
  return resolve(absolute, '..', '..', '..');
}

function findVectors(): { dir: string } | { dir: undefined; why: string } {
  const candidates = [REPO_ROOT, mainCheckoutRoot(REPO_ROOT)].filter((r): r is string => r !== undefined);
  for (const root of candidates) {
    const dir = resolve(root, RELATIVE);
    if (existsSync(join(dir, 'tree-math.json'))) return { dir };
  }
  return {
    dir: undefined,
    why: `no test vectors at ${candidates.map((r) => resolve(r, RELATIVE)).join(' or ')}`,
  };
}

const found = findVectors();

/** True when the vectors are here. Absent: throws under CI, prints why elsewhere. */
export function vectorsAvailable(suite: string): boolean {
  if (found.dir !== undefined) return true;
  const why = `${suite}: ${found.why}`;
  if (process.env.CI)
    throw new Error(`[MLS CONFORMANCE NOT RUN] ${why}. CI must have ../shared/mls-test-vectors/.`);
  console.warn(`\n[NOT RUN] MLS conformance (E2E-1) ${why}. Put the MLS working group's vectors there.\n`);
  return false;
}

/** The vectors of one kind, filtered to Latch's cipher suite when the kind has one. */
export function loadVectors<T>(file: string, cipherSuite?: number): T[] {
  if (found.dir === undefined) return [];
  const all = JSON.parse(readFileSync(join(found.dir, file), 'utf8')) as Array<T & { cipher_suite?: number }>;
  return cipherSuite === undefined ? all : all.filter((v) => v.cipher_suite === cipherSuite);
}

export function hex(text: string): Uint8Array {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(text)) throw new Error('Not hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
