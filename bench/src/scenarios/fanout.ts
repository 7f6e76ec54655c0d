import { type BenchEnv, phase, withSeededServer } from '../harness';
import { type Lane, loadValues, runMessageLoad, warmUp } from '../messageLoad';
import { closeFleet, connectFleet } from '../pool';
import type { Measurement } from '../report';
import type { SeedChat } from '../seed';

export interface FanoutOptions {
  rate: number;
  /** Sender accounts: one socket may send at most 50 frames/s, so 1,000 msgs/s needs 25 of them. */
  senders: number;
  durationS: number;
}

const TARGET_COMPUTERS = 4;

/**
 * One account with its phone and 4 computers online; sender accounts write to it in direct chats.
 * Every message must reach all 5 of its devices; latency is counted per device delivery.
 */
export async function runFanout(opts: FanoutOptions, env: BenchEnv): Promise<Measurement[]> {
  return withSeededServer(
    env,
    `fanout-${opts.senders}`,
    async (seeder) => {
      const target = await seeder.createAccount(TARGET_COMPUTERS);
      const senders = [];
      const chats: SeedChat[] = [];
      for (let i = 0; i < opts.senders; i++) {
        const sender = await seeder.createAccount(0);
        senders.push(sender);
        chats.push(await seeder.openDirectChat(sender, target));
      }
      return { accounts: [target, ...senders], chats };
    },
    async (server, seed) => {
      const [target, ...senders] = seed.accounts;
      if (!target) throw new Error('The seed has no target account');
      const targetFleet = await connectFleet(server.url, [target.phone, ...target.companions], 5);
      const senderFleet = await connectFleet(
        server.url,
        senders.map((s) => s.phone),
        50,
      );
      try {
        const lanes: Lane[] = seed.chats.map((chat, i) => ({
          sender: senderFleet.sockets[i]!,
          chatId: chat.chatId,
          receivers: targetFleet.sockets,
        }));
        await phase(env, 'warm-up', () =>
          warmUp(lanes, { rate: opts.rate, durationS: opts.durationS, runId: 1, serverPid: server.pid }),
        );
        const result = await phase(env, 'fanout', () =>
          runMessageLoad(lanes, {
            rate: opts.rate,
            durationS: opts.durationS,
            runId: 2,
            serverPid: server.pid,
          }),
        );
        return [
          {
            scenario: 'fanout',
            measurement: 'to phone + 4 computers',
            params: { rate: opts.rate, senders: opts.senders, durationS: opts.durationS, devices: 5 },
            values: loadValues(result),
            targets: [
              { metric: 'latencyP99Ms', op: '<=', limit: 5 },
              { metric: 'lost', op: '<=', limit: 0 },
            ],
            notes: [
              `${opts.senders} sender accounts instead of one: the server's flood guard caps a socket at 50 frames/s`,
              ...result.errorReasons.map((e) => `send failed: ${e}`),
            ],
          },
        ];
      } finally {
        await closeFleet([...targetFleet.sockets, ...senderFleet.sockets]);
      }
    },
  );
}
