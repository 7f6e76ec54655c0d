import { PhoneNumber } from '@latch/protocol';
import { type Config, openContext } from '@latch/server';
import { createServices, type Services } from '@latch/server/services';

/** Opens the store (migrating it) and the services, runs `work`, and closes everything. */
export async function withServices<T>(config: Config, work: (s: Services) => Promise<T>): Promise<T> {
  const { ctx, close } = await openContext(config);
  try {
    return await work(createServices(ctx));
  } finally {
    await close();
  }
}

export async function accountByNumber(s: Services, raw: string) {
  const number = PhoneNumber.safeParse(raw);
  if (!number.success) throw new UsageError(`Not a phone number in international format: ${raw}`);
  const account = await s.ctx.repos.accounts.findByPhone(number.data);
  if (!account) throw new UsageError(`No account uses ${number.data}.`);
  return account;
}

export class UsageError extends Error {}

const when = (t: number | null) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) : '-');

export async function listUsers(s: Services): Promise<string[]> {
  const rows = await s.ctx.db
    .selectFrom('accounts')
    .leftJoin('devices', (j) =>
      j.onRef('devices.account_id', '=', 'accounts.id').on('devices.revoked_at', 'is', null),
    )
    .select(({ fn }) => [
      'accounts.phone_number',
      'accounts.name',
      'accounts.created_at',
      fn.count('devices.id').as('devices'),
    ])
    .groupBy(['accounts.id', 'accounts.phone_number', 'accounts.name', 'accounts.created_at'])
    .orderBy('accounts.created_at')
    .execute();
  return rows.map(
    (r) =>
      `${r.phone_number}\t${r.name || '(no name)'}\tdevices=${r.devices}\tsince ${when(Number(r.created_at))}`,
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
  const account = await accountByNumber(s, number);
  if (deviceId) {
    return s.devices.logout({ accountId: account.id, deviceIds: [deviceId], reason: 'admin' });
  }
  const active = await s.ctx.repos.devices.listActive(account.id, 'companion');
  return s.devices.logout({ accountId: account.id, deviceIds: active.map((d) => d.id), reason: 'admin' });
}
