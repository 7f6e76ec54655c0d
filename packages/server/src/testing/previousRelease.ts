import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/**
 * The release before this one: what a rolling upgrade starts from. Move it forward when a release is
 * cut (it must be a commit of this repository's history; a fresh `git clone` has it).
 */
export const PREVIOUS_RELEASE = '125df1d';

const READY_TIMEOUT_MS = 60_000;

/** The previous release's source tree, unpacked from git, sharing this checkout's node_modules. */
export interface ReleaseTree {
  dir: string;
  remove(): void;
}

/**
 * Unpacks `commit` with `git archive` into a temp dir. Its node_modules is a directory of links to
 * this checkout's packages, except the Latch workspace packages (`@latch/*`), which link to the old
 * tree's own: the old server runs its own protocol code, not this checkout's. Fails, saying what to do,
 * when the clone lacks that commit (a shallow clone).
 */
export async function unpackRelease(commit: string): Promise<ReleaseTree> {
  const repo = (
    await run('git', ['rev-parse', '--show-toplevel'], { cwd: import.meta.dirname })
  ).stdout.trim();
  await run('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: repo }).catch(() => {
    throw new Error(
      `The rolling-upgrade test needs the previous release, commit ${commit}, in this clone's history. ` +
        'Fetch it (git fetch --unshallow) or move PREVIOUS_RELEASE in testing/previousRelease.ts.',
    );
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `latch-release-${commit}-`));
  await run('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'sh', commit, dir], { cwd: repo });
  const oldLock = readLock(dir);
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(path.join(modules, '@latch'), { recursive: true });
  linkEntries(path.join(repo, 'node_modules'), modules, (entry) => entry === '@latch' || entry === '.bin');
  for (const pkg of fs.readdirSync(path.join(dir, 'packages'))) {
    const manifest = path.join(dir, 'packages', pkg, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    fs.symlinkSync(path.join(dir, 'packages', pkg), path.join(modules, '@latch', pkg));
    // npm nests some dependencies under a workspace (better-sqlite3 under packages/server).
    // Only what the old lock nests there too: a package this checkout nests (another version than the
    // root's) must not shadow the version the old release resolves from the root.
    const nested = path.join(repo, 'packages', pkg, 'node_modules');
    const where = `packages/${pkg}/node_modules`;
    if (fs.existsSync(nested)) {
      linkEntries(nested, path.join(dir, where), (name) =>
        name.startsWith('@') && !name.includes('/') ? false : !oldLock.packages[`${where}/${name}`],
      );
    }
  }
  await installDrifted(dir, oldLock);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Links every package of `from` into `to` (made), scoped ones one by one, so one can be replaced.
 * `skip` sees package names (`kysely`, `@fastify/static`) and scope directories (`@latch`).
 */
function linkEntries(
  from: string,
  to: string,
  skip: (name: string) => boolean = () => false,
  scope = '',
): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from)) {
    const name = scope ? `${scope}/${entry}` : entry;
    if (entry.startsWith('.')) continue;
    if (!scope && entry.startsWith('@')) {
      if (skip(entry)) continue;
      linkEntries(path.join(from, entry), path.join(to, entry), skip, entry);
      continue;
    }
    if (!skip(name)) fs.symlinkSync(path.join(from, entry), path.join(to, entry));
  }
}

/**
 * The old release runs on this checkout's packages, except its direct runtime dependencies whose
 * locked version differs from the one installed here (a dependency changed between the releases, e.g.
 * kysely 0.29 → 0.28): those are installed apart, at the old lock's version, from the registry, and
 * linked in their place wherever the old tree would resolve them. Packages with install scripts
 * (native addons) are never reinstalled: a difference there fails the test, saying so.
 */
async function installDrifted(dir: string, lock: Lock): Promise<void> {
  const direct = new Set<string>();
  for (const pkg of fs.readdirSync(path.join(dir, 'packages'))) {
    const manifest = path.join(dir, 'packages', pkg, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const deps = Manifest.parse(JSON.parse(fs.readFileSync(manifest, 'utf8'))).dependencies ?? {};
    for (const name of Object.keys(deps)) if (!name.startsWith('@latch/')) direct.add(name);
  }
  const drifted = new Map<string, { version: string; where: string[] }>();
  for (const name of direct) {
    for (const where of ['node_modules', ...workspaceModuleDirs(dir)]) {
      const locked = lock.packages[`${where}/${name}`];
      if (!locked?.version) continue;
      const installedManifest = path.join(dir, where, name, 'package.json');
      const installed = fs.existsSync(installedManifest)
        ? Manifest.parse(JSON.parse(fs.readFileSync(installedManifest, 'utf8'))).version
        : undefined;
      if (installed === locked.version) continue;
      if (locked.hasInstallScript) {
        throw new Error(
          `The previous release needs ${name}@${locked.version} (installed: ${installed}), a native addon.`,
        );
      }
      const entry = drifted.get(name) ?? { version: locked.version, where: [] };
      entry.where.push(where);
      drifted.set(name, entry);
    }
  }
  if (drifted.size === 0) return;
  const apart = path.join(dir, '.previous-deps');
  fs.mkdirSync(apart, { recursive: true });
  fs.writeFileSync(path.join(apart, 'package.json'), '{"private":true}');
  const specs = [...drifted].map(([name, { version }]) => `${name}@${version}`);
  await run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', ...specs], {
    cwd: apart,
  });
  for (const [name, { where }] of drifted) {
    for (const w of where) {
      const link = path.join(dir, w, name);
      fs.rmSync(link, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(link), { recursive: true });
      fs.symlinkSync(path.join(apart, 'node_modules', name), link);
    }
  }
}

/** `packages/<pkg>/node_modules` of the old tree, as lock keys. */
function workspaceModuleDirs(dir: string): string[] {
  return fs.readdirSync(path.join(dir, 'packages')).map((pkg) => `packages/${pkg}/node_modules`);
}

type Lock = z.infer<typeof Lock>;

function readLock(dir: string): Lock {
  return Lock.parse(JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')));
}

const LockEntry = z.object({ version: z.string().optional(), hasInstallScript: z.boolean().optional() });
const Lock = z.object({ packages: z.record(z.string(), LockEntry) });
const Manifest = z.object({
  version: z.string().optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
});

/** An old-release server process. */
export interface ReleaseNode {
  url: string;
  /** Everything it printed (its console SMS lines among them). */
  output(): string;
  /** The next `[sms] <number> code <6 digits>` it prints for that number. */
  readCode(phoneNumber: string): Promise<string>;
  /** SIGTERM, as an orchestrator stops a node; resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts the release's server (`node --import tsx packages/server/src/main.ts`) with these settings. */
export async function startReleaseNode(tree: ReleaseTree, env: Record<string, string>): Promise<ReleaseNode> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/server/src/main.ts'], {
    cwd: tree.dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(tree.dir, 'data'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The previous release exited at start:\n${text}`);
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The previous release did not answer /healthz in time:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const seen = new Map<string, number>();
  return {
    url,
    output: () => text,
    async readCode(phoneNumber) {
      const pattern = new RegExp(`\\[sms\\] \\${phoneNumber} code (\\d{6})`, 'g');
      for (;;) {
        const matches = [...text.matchAll(pattern)];
        const next = matches[seen.get(phoneNumber) ?? 0];
        if (next?.[1]) {
          seen.set(phoneNumber, (seen.get(phoneNumber) ?? 0) + 1);
          return next[1];
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const addr = probe.address();
      probe.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}
