import path from 'node:path';
import { BenchSocket } from '../benchSocket';
import { type BenchEnv, phase, watchGeneratorStalls, withSeededServer } from '../harness';
import { type Approver, type LinkTimings, linkComputer } from '../linkFlow';
import { closeFleet, connectFleet } from '../pool';
import type { Measurement } from '../report';
import { seedAccounts } from '../seed';
import { REPO_ROOT } from '../serverProcess';
import { summarize } from '../stats';
import { browserSkipped, measureBrowserLink } from './browserLink';

export interface LinkOptions {
  links: number;
  /** Browser runs for the QR page → chat screen measurement (0: skip). */
  browserRuns: number;
}

const COMPANIONS_PER_PHONE = 4;

/**
 * Links computers one after another through the real protocol and times the part that waits on the
 * server: from the phone's link.approve to the browser's claim answered with a cookie.
 */
export async function runLink(opts: LinkOptions, env: BenchEnv): Promise<Measurement[]> {
  const phoneCount = Math.ceil(opts.links / COMPANIONS_PER_PHONE);
  return withSeededServer(
    env,
    `phones-${phoneCount + 1}`,
    async (seeder) => ({
      // One more phone, kept free of companions, approves the browser runs.
      accounts: await seedAccounts(seeder, phoneCount + 1, 0),
      chats: [],
    }),
    async (server, seed) => {
      const [browserPhone, ...phones] = seed.accounts;
      if (!browserPhone) throw new Error('The seed has no accounts');
      const fleet = await connectFleet(
        server.url,
        phones.map((p) => p.phone),
        50,
      );
      const timings: LinkTimings[] = [];
      const stopWatching = watchGeneratorStalls();
      try {
        await phase(env, 'links', async () => {
          for (let i = 0; i < opts.links; i++) {
            const index = Math.floor(i / COMPANIONS_PER_PHONE);
            const account = phones[index]!;
            const approver: Approver = {
              socket: fleet.sockets[index]!,
              key: account.phone.key,
              accountId: account.accountId,
            };
            timings.push((await linkComputer(server.url, approver)).timings);
          }
        });
      } finally {
        await closeFleet(fleet.sockets);
      }
      const stalls = stopWatching();
      const total = summarize(timings.map((t) => t.approveToCookieMs));
      const approved = summarize(timings.map((t) => t.approveToApprovedMs));
      const claim = summarize(timings.map((t) => t.claimMs));
      const protocol: Measurement = {
        scenario: 'link',
        measurement: 'link.approve → claim answered with cookie',
        params: { links: opts.links },
        values: {
          links: total.count,
          p50Ms: total.p50,
          p99Ms: total.p99,
          maxMs: total.max,
          approveToApprovedP50Ms: approved.p50,
          approveToApprovedP99Ms: approved.p99,
          claimP50Ms: claim.p50,
          claimP99Ms: claim.p99,
          generatorStallP99Ms: stalls.p99Ms,
        },
        targets: [{ metric: 'p99Ms', op: '<=', limit: 30 }],
        notes: [],
      };
      if (opts.browserRuns === 0) return [protocol];
      const phoneSocket = await BenchSocket.connect(server.url, browserPhone.phone);
      try {
        const approver = {
          socket: phoneSocket,
          key: browserPhone.phone.key,
          accountId: browserPhone.accountId,
        };
        const appsDir = env.appsDir ?? path.join(REPO_ROOT, 'packages');
        try {
          return [protocol, await measureBrowserLink(server.url, appsDir, approver, opts.browserRuns)];
        } catch (err) {
          // The protocol numbers stand on their own; say why the browser part has none.
          const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
          return [protocol, { ...browserSkipped(opts.browserRuns), notes: [`failed: ${reason}`] }];
        }
      } finally {
        phoneSocket.close();
      }
    },
  );
}
