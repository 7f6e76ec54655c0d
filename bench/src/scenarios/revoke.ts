import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { BenchSocket } from '../benchSocket';
import { numberField } from '../frames';
import { type BenchEnv, phase, sleep, watchGeneratorStalls, withSeededServer } from '../harness';
import { type Approver, linkComputer } from '../linkFlow';
import type { OperatorReport } from '../operatorRevoke';
import { closeFleet, connectFleet } from '../pool';
import type { Measurement } from '../report';
import { type SeedAccount, seedAccounts } from '../seed';
import { REPO_ROOT, type ServerProcess } from '../serverProcess';
import { summarize } from '../stats';
import { assertSocketsFit } from './idle';

export interface RevokeOptions {
  trials: number;
  /** Idle linked computers online besides the account under test. */
  others: number;
  /** How many of those an operator revokes at once at the end (0: skip). */
  operatorN: number;
}

const COMPUTERS = 4;
const execFileAsync = promisify(execFile);
const LOGGED_OUT_TIMEOUT_MS = 5_000;
const MIN_TRIAL_MS = 300;
const OPERATOR_TIMEOUT_MS = 15_000;

/**
 * "Log out from all devices" on a phone with 4 computers online, among many idle sessions: time until
 * every computer got `logged_out`, re-linking 4 computers through the link protocol before each trial.
 * Then an operator revokes the idle computers from another process, as `latch logout` would.
 */
export async function runRevoke(opts: RevokeOptions, env: BenchEnv): Promise<Measurement[]> {
  assertSocketsFit(opts.others + COMPUTERS + 1);
  const idleAccounts = Math.ceil(opts.others / COMPUTERS);
  return withSeededServer(
    env,
    `revoke-${idleAccounts}x${COMPUTERS}`,
    async (seeder) => {
      const subject = await seeder.createAccount(0);
      const idle = await seedAccounts(seeder, idleAccounts, COMPUTERS, (done) =>
        env.log(`seeded ${done}/${idleAccounts} idle accounts`),
      );
      return { accounts: [subject, ...idle], chats: [] };
    },
    async (server, seed, dataDir) => {
      const [subject, ...idle] = seed.accounts;
      if (!subject) throw new Error('The seed has no subject account');
      const idleDevices = idle.flatMap((a) => a.companions).slice(0, opts.others);
      const phoneSocket = await BenchSocket.connect(server.url, subject.phone);
      const fleet = await connectFleet(server.url, idleDevices, 200);
      env.log(`${fleet.sockets.length} idle computers online`);
      try {
        const phone: Approver = { socket: phoneSocket, key: subject.phone.key, accountId: subject.accountId };
        const trials = await phase(env, 'logoutAll trials', () =>
          runLogoutAllTrials(server, phone, opts.trials, env),
        );
        const results: Measurement[] = [trials];
        if (opts.operatorN > 0) {
          const revoked = idle.slice(0, Math.ceil(Math.min(opts.operatorN, idleDevices.length) / COMPUTERS));
          results.push(
            await phase(env, 'operator', () => runOperatorRevocation(dataDir, revoked, fleet.sockets)),
          );
        }
        return results;
      } finally {
        phoneSocket.close();
        await closeFleet(fleet.sockets);
      }
    },
  );
}

async function runLogoutAllTrials(
  server: ServerProcess,
  phone: Approver,
  trials: number,
  env: BenchEnv,
): Promise<Measurement> {
  const allOut: number[] = [];
  const responses: number[] = [];
  let missed = 0;
  const stopWatching = watchGeneratorStalls();
  for (let t = 0; t < trials; t++) {
    const trialStarted = performance.now();
    const computers: BenchSocket[] = [];
    for (let i = 0; i < COMPUTERS; i++) {
      const { device } = await linkComputer(server.url, phone);
      computers.push(await BenchSocket.connect(server.url, device));
    }
    const loggedOut = computers.map((c) =>
      c.nextEvent('logged_out', LOGGED_OUT_TIMEOUT_MS).then(
        (e) => e.receivedAt,
        () => null,
      ),
    );
    const started = performance.now();
    const count = await phone.socket.request('devices.logoutAll', {});
    responses.push(performance.now() - started);
    const times = await Promise.all(loggedOut);
    if (times.some((x) => x === null)) missed++;
    else allOut.push(Math.max(...times.map((x) => (x ?? 0) - started)));
    await Promise.all(computers.map((c) => Promise.race([c.closed, sleep(LOGGED_OUT_TIMEOUT_MS)])));
    // The phone sends 9 frames a trial; the server's flood guard allows 50/s per socket.
    await sleep(MIN_TRIAL_MS - (performance.now() - trialStarted));
    if ((t + 1) % 50 === 0)
      env.log(`trial ${t + 1}/${trials} (last logoutAll count ${JSON.stringify(count)})`);
  }
  const stalls = stopWatching();
  const s = summarize(allOut);
  const r = summarize(responses);
  return {
    scenario: 'revoke',
    measurement: 'logoutAll → 4 computers logged_out',
    params: { trials, computers: COMPUTERS },
    values: {
      trials: allOut.length,
      missed,
      p50Ms: s.p50,
      p99Ms: s.p99,
      maxMs: s.max,
      responseP50Ms: r.p50,
      generatorStallP99Ms: stalls.p99Ms,
      generatorStallMaxMs: stalls.maxMs,
    },
    targets: [
      { metric: 'p99Ms', op: '<=', limit: 20 },
      { metric: 'missed', op: '<=', limit: 0 },
    ],
    notes: ["each trial re-links 4 computers through /v1/link, the phone's approval and the claim"],
  };
}

/** Runs the operator's revocation as its own process (as `latch logout` would run); resolves with its report. */
async function revokeInOperatorProcess(dataDir: string, accountIds: string[]): Promise<OperatorReport> {
  const idsFile = path.join(dataDir, 'operator-accounts.txt');
  fs.writeFileSync(idsFile, accountIds.join('\n'));
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, '..', 'operatorRevoke.ts'), dataDir, idsFile],
    { cwd: REPO_ROOT, timeout: OPERATOR_TIMEOUT_MS },
  );
  const report: unknown = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  const revoked = numberField(report, 'revoked');
  const startedAt = numberField(report, 'startedAt');
  const committedAt = numberField(report, 'committedAt');
  if (revoked === undefined || startedAt === undefined || committedAt === undefined) {
    throw new Error(`operator process printed no report: ${stdout}`);
  }
  return { revoked, startedAt, committedAt };
}

/** Revokes the idle computers on the same SQLite file; only the server's revocation sweep can notice. */
async function runOperatorRevocation(
  dataDir: string,
  accounts: SeedAccount[],
  sockets: BenchSocket[],
): Promise<Measurement> {
  const targets = new Set(accounts.flatMap((a) => a.companions.map((c) => c.deviceId)));
  const watched = sockets.filter((s) => targets.has(s.device.deviceId));
  const toEpoch = (t: number) => performance.timeOrigin + t;
  const loggedOutAt: number[] = [];
  const closedAt: number[] = [];
  for (const s of watched) {
    s.nextEvent('logged_out', OPERATOR_TIMEOUT_MS * 2).then(
      (e) => loggedOutAt.push(toEpoch(e.receivedAt)),
      () => {},
    );
    void s.closed.then(() => closedAt.push(toEpoch(performance.now())));
  }
  const report = await revokeInOperatorProcess(
    dataDir,
    accounts.map((a) => a.accountId),
  );
  const deadline = performance.now() + OPERATOR_TIMEOUT_MS;
  while (closedAt.length < watched.length && performance.now() < deadline) await sleep(10);
  const last = (times: number[]) => (times.length ? Math.max(...times) : null);
  const since = (t: number | null, from: number) => (t === null ? null : t - from);
  return {
    scenario: 'revoke',
    measurement: 'operator revokes at once',
    params: { devices: watched.length, accounts: accounts.length },
    values: {
      revoked: report.revoked,
      loggedOut: loggedOutAt.length,
      closed: closedAt.length,
      revokeWriteMs: report.committedAt - report.startedAt,
      allLoggedOutMs: since(last(loggedOutAt), report.startedAt),
      allClosedMs: since(last(closedAt), report.startedAt),
      afterLastCommitMs: since(last(loggedOutAt), report.committedAt),
    },
    targets: [{ metric: 'allClosedMs', op: '<=', limit: 1000 }],
    notes: [
      'DeviceService.logoutMany (reason admin, 250 accounts per transaction) in a separate operator process; ' +
        'the server learns of it only through its 100 ms revocation sweep. Times are from the first logout call.',
    ],
  };
}
