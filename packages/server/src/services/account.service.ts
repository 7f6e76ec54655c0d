import type { AccountView } from '@latch/protocol';
import type { AccountSummary } from '../domain/account';
import { notFound } from '../errors';
import { presentAccount } from '../presenters/account.presenter';
import type { AccountRow } from '../repositories/account.repository';
import type { DeviceRow } from '../repositories/device.repository';
import type { ServiceContext } from './context';

export class AccountService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The account with its identity key (the primary device's public key). */
  async get(accountId: string): Promise<AccountView> {
    const account = await this.ctx.repos.accounts.findById(accountId);
    if (!account) throw notFound('not_found', 'No such account.');
    const primary = await this.ctx.repos.devices.primaryOf(accountId);
    return presentAccount(account, primary?.public_key ?? '');
  }

  /** {@link get} for rows already read: the phone is its own primary, a computer looks the phone up. */
  async present(account: AccountRow, device: DeviceRow): Promise<AccountView> {
    const primary = device.kind === 'primary' ? device : await this.ctx.repos.devices.primaryOf(account.id);
    return presentAccount(account, primary?.public_key ?? '');
  }

  /** The id of the account using this number, if any (operators' commands). */
  async idByPhone(phoneNumber: string): Promise<string | undefined> {
    return (await this.ctx.repos.accounts.findByPhone(phoneNumber))?.id;
  }

  /** Every account with its signed-in devices, oldest first (operators' commands). */
  listSummaries(): Promise<AccountSummary[]> {
    return this.ctx.repos.accounts.listSummaries();
  }

  async setName(accountId: string, name: string): Promise<AccountView> {
    await this.ctx.repos.accounts.setName(accountId, name);
    await this.ctx.bus.publish({ type: 'account.changed', accountId });
    return this.get(accountId);
  }
}
