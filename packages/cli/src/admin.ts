import { PhoneNumber } from '@latch/protocol';
import { type Config, createLogger, openContext } from '@latch/server';
import { createServices, type Services } from '@latch/server/services';

/**
 * Opens the store (migrating it) and the services, runs `work`, and closes everything. Logs (and, without
 * AUDIT_LOG, the audit lines of what the command did) go to stderr: stdout is the command's answer.
 */
export async function withServices<T>(config: Config, work: (s: Services) => Promise<T>): Promise<T> {
  const { ctx, close } = await openContext(config, { log: createLogger(config.logLevel, process.stderr) });
  try {
    return await work(createServices(ctx));
  } finally {
    await close();
  }
}

export async function accountByNumber(s: Services, raw: string) {
  const number = PhoneNumber.safeParse(raw);
  if (!number.success) throw new UsageError(`Not a phone number in international format: ${raw}`);
  const id = await s.accounts.idByPhone(number.data);
  if (!id) throw new UsageError(`No account uses ${number.data}.`);
  return { id };
}

export class UsageError extends Error {}

const when = (t: number | null) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) : '-');

export async function listUsers(s: Services): Promise<string[]> {
  const accounts = await s.accounts.listSummaries();
  return accounts.map(
    (a) =>
      `${a.phoneNumber}\t${a.name || '(no name)'}\tdevices=${a.activeDevices}\tsince ${when(a.createdAt)}`,
  );
}

export async function listDevices(s: Services, number: string): Promise<string[]> {
  const account = await accountByNumber(s, number);
  const devices = await s.devices.list(account.id);
  return devices.map((d) =>
    [
      d.id,
      d.kind,
      d.name,
      d.status === 'active'
        ? d.online
          ? 'online'
          : `last active ${when(d.lastActiveAt)}`
        : `logged out (${d.logoutReason})`,
      `linked ${when(d.createdAt)}`,
      d.ip,
    ].join('\t'),
  );
}

/** An operator's answer to a stolen account: the same logout the phone does, with reason "admin". */
export async function logoutDevices(
  s: Services,
  number: string,
  deviceId: string | undefined,
): Promise<number> {
  if (!deviceId) return logoutComputersOf(s, [number]);
  const account = await accountByNumber(s, number);
  return s.devices.logout({ accountId: account.id, deviceIds: [deviceId], reason: 'admin' });
}

/**
 * Every linked computer of these accounts (phones stay), in a few transactions. Every number is
 * checked first, so a typo logs out nobody.
 */
export async function logoutComputersOf(s: Services, numbers: string[]): Promise<number> {
  const accountIds: string[] = [];
  for (const number of numbers) accountIds.push((await accountByNumber(s, number)).id);
  return s.devices.logoutMany({ accountIds, reason: 'admin' });
}

/** Every linked computer on the server, for a breach: each browser wipes itself; phones stay. */
export function logoutAllComputers(s: Services): Promise<number> {
  return s.devices.logoutMany({ allCompanions: true, reason: 'admin' });
}

/** `latch logout`'s options as parsed from the command line. */
export interface LogoutOptions {
  numbers: string[];
  all?: boolean | undefined;
  allComputers?: boolean | undefined;
  device?: string | undefined;
}

/** The three forms of `latch logout`. */
export type LogoutCommand =
  | { kind: 'device'; number: string; deviceId: string }
  | { kind: 'accounts'; numbers: string[] }
  | { kind: 'allComputers' };

export const LOGOUT_USAGE = 'latch logout <number>… --all | <number> --device ID | --all-computers';

/** Which form was asked for; a usage error for anything else, before the store is opened. */
export function parseLogout(o: LogoutOptions): LogoutCommand {
  const forms = [o.all, o.allComputers, o.device !== undefined].filter(Boolean).length;
  if (forms !== 1) throw new UsageError(LOGOUT_USAGE);
  if (o.allComputers) {
    if (o.numbers.length > 0) throw new UsageError('--all-computers takes no numbers.');
    return { kind: 'allComputers' };
  }
  if (o.device !== undefined) {
    const [number, ...more] = o.numbers;
    if (!number || more.length > 0) throw new UsageError('latch logout <number> --device ID');
    return { kind: 'device', number, deviceId: o.device };
  }
  if (o.numbers.length === 0) throw new UsageError(LOGOUT_USAGE);
  return { kind: 'accounts', numbers: o.numbers };
}

/** Runs a `latch logout`; returns how many devices it logged out. */
export function runLogout(s: Services, cmd: LogoutCommand): Promise<number> {
  switch (cmd.kind) {
    case 'device':
      return logoutDevices(s, cmd.number, cmd.deviceId);
    case 'accounts':
      return logoutComputersOf(s, cmd.numbers);
    case 'allComputers':
      return logoutAllComputers(s);
    default: {
      const missing: never = cmd;
      throw new Error(`Unhandled logout ${JSON.stringify(missing)}`);
    }
  }
}
