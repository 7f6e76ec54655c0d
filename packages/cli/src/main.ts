import { parseArgs } from 'node:util';
import { parseConfig } from '@latch/server';
import { listDevices, listUsers, parseLogout, runLogout, UsageError, withServices } from './admin';

const HELP = `latch — Latch server and administration

Usage:
  latch serve                       start the server (same settings as npm start)
  latch migrate                     apply database migrations and exit
  latch users                       list accounts
  latch devices <number>            list an account's devices
  latch logout <number>… --all      log out every linked computer of these accounts
  latch logout <number> --device ID log out one device
  latch logout --all-computers      log out every linked computer on the server (phones stay)

Settings come from the environment (DATABASE_URL, DATA_DIR, …); see the README.
Running servers close the sockets of devices logged out here within about a second.`;

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
  const [command, arg, ...more] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 2;
  }
  const config = parseConfig(process.env);
  switch (command) {
    case 'serve':
      await import('@latch/server/main');
      return -1;
    case 'migrate':
      await withServices(config, async () => undefined);
      console.log('Database is up to date.');
      return 0;
    case 'users':
      for (const line of await withServices(config, listUsers)) console.log(line);
      return 0;
    case 'devices':
      if (!arg) throw new UsageError('latch devices <number>');
      for (const line of await withServices(config, (s) => listDevices(s, arg))) console.log(line);
      return 0;
    case 'logout': {
      const cmd = parseLogout({
        numbers: arg ? [arg, ...more] : [],
        all: values.all,
        allComputers: values['all-computers'],
        device: values.device,
      });
      const n = await withServices(config, (s) => runLogout(s, cmd));
      console.log(`Logged out ${n} device${n === 1 ? '' : 's'}.`);
      return 0;
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
    console.error(err instanceof UsageError ? err.message : err);
    process.exitCode = err instanceof UsageError ? 2 : 1;
  },
);
