import type { CliOptions } from './cliOptions';
import type { BenchEnv } from './harness';
import type { Measurement } from './report';
import { runFanout } from './scenarios/fanout';
import { runIdle } from './scenarios/idle';
import { runLink } from './scenarios/link';
import { runMessages } from './scenarios/messages';
import { runRevoke } from './scenarios/revoke';
import { runStartup } from './scenarios/startup';

type Runner = (opts: CliOptions, env: BenchEnv) => Promise<Measurement[]>;

/** Each scenario, fed from the command line's options. */
const runners: Record<string, Runner> = {
  idle: (o, env) => runIdle({ n: o.n, concurrency: o.concurrency }, env),
  messages: (o, env) =>
    runMessages({ pairs: o.pairs, rate: o.rate, durationS: o.duration, search: o.search }, env),
  link: (o, env) => runLink({ links: o.links, browserRuns: o.browserRuns }, env),
  startup: (o, env) => runStartup({ readyRuns: o.readyRuns }, env),
  revoke: (o, env) => runRevoke({ trials: o.trials, others: o.others, operatorN: o.operatorN }, env),
  fanout: (o, env) => runFanout({ rate: o.rate, senders: o.senders, durationS: o.duration }, env),
};

export function scenarioRunner(name: string): Runner | undefined {
  return Object.hasOwn(runners, name) ? runners[name] : undefined;
}
