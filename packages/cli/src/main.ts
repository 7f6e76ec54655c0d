import { parseArgs } from 'node:util';
import {
  AuditLog,
  BackupError,
  type Config,
  createLogger,
  parseConfig,
  SchemaTooNewError,
} from '@latch/server';
import { listDevices, listUsers, parseLogout, runLogout, UsageError, withServices } from './admin';
import { runBackup, runRestore } from './backup';

const HELP = `latch — Latch server and administration

Usage:
  latch serve                       start the server (same settings as npm start)
  latch migrate                     apply database migrations and exit
  latch users                       list accounts
  latch devices <number>            list an account's devices
  latch logout <number>… --all      log out every linked computer of these accounts
  latch logout <number> --device ID log out one device
  latch logout --all-computers      log out every linked computer on the server (phones stay)
  latch backup <file>               consistent copy of the SQLite store, while the server runs
  latch restore <file>              put a backup in place as the store of an empty DATA_DIR

Settings come from the environment and LATCH_CONFIG (DATABASE_URL, DATA_DIR, …); see the README.
Running servers close the sockets of devices logged out here within about a second.
Every command except serve is recorded in the audit stream (AUDIT_LOG, or stderr).`;

/** What a command did, for its output and its audit line. */
interface Outcome {
  lines: string[];
  result?: Record<string, number | string>;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      all: { type: 'boolean' },
      'all-computers': { type: 'boolean' },
      device: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  const config = parseConfig(process.env);
  if (command === 'serve') {
    await import('@latch/server/main');
    return -1;
  }
  const audit = AuditLog.open({
    file: config.auditLog,
    log: createLogger(config.logLevel, process.stderr),
    logLevel: config.logLevel,
  });
  const asked = { command, args, options: { ...values } };
  try {
    const outcome = await run(config, command, args, values);
    for (const line of outcome.lines) console.log(line);
    audit.operatorCommand({ ...asked, outcome: 'ok', ...(outcome.result ? { result: outcome.result } : {}) });
    return 0;
  } catch (err) {
    audit.operatorCommand({
      ...asked,
      outcome: 'failed',
      error: err instanceof Error ? err.message : String(err),
    });
    throw err;
  } finally {
    await audit.close();
  }
}

async function run(
  config: Config,
  command: string,
  [arg, ...more]: string[],
  values: { all?: boolean | undefined; 'all-computers'?: boolean | undefined; device?: string | undefined },
): Promise<Outcome> {
  switch (command) {
    case 'migrate':
      await withServices(config, async () => undefined);
      return { lines: ['Database is up to date.'] };
    case 'users':
      return { lines: await withServices(config, listUsers) };
    case 'devices':
      if (!arg) throw new UsageError('latch devices <number>');
      return { lines: await withServices(config, (s) => listDevices(s, arg)) };
    case 'logout': {
      const cmd = parseLogout({
        numbers: arg ? [arg, ...more] : [],
        all: values.all,
        allComputers: values['all-computers'],
        device: values.device,
      });
      const n = await withServices(config, (s) => runLogout(s, cmd));
      return { lines: [`Logged out ${n} device${n === 1 ? '' : 's'}.`], result: { devicesLoggedOut: n } };
    }
    case 'backup':
    case 'restore': {
      if (!arg || more.length > 0) throw new UsageError(`latch ${command} <file>`);
      const done = command === 'backup' ? await runBackup(config, arg) : await runRestore(config, arg);
      return {
        lines: [done.line],
        result: { schemaVersion: done.info.schemaVersion, messages: done.info.messages },
      };
    }
    default:
      throw new UsageError(`Unknown command: ${command}\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    // The operator's mistakes and refusals are sentences; anything else keeps its stack trace.
    const told = err instanceof UsageError || err instanceof BackupError || err instanceof SchemaTooNewError;
    console.error(told ? err.message : err);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
