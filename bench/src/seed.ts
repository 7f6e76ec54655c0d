import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { approvalMessage, type ClientApp, claimMessage, linkMacMessage } from '@latch/protocol';
import { openContext, parseConfig } from '@latch/server';
import { createServices, type ServiceContext, type Services } from '@latch/server/services';
import { CapturedSms } from '@latch/server/testing';
import { BenchKey, hmacBase64Url } from './benchKey';

/** The user agent seeded companions claim to be, so the server labels them like real browsers. */
export const BENCH_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36';

/** One device with everything a client needs to open an authenticated socket: cookie and key. */
export interface SeedDevice {
  accountId: string;
  deviceId: string;
  app: ClientApp;
  /** The session cookie's value (`deviceId.secret`). */
  cookie: string;
  key: BenchKey;
}

export interface SeedAccount {
  accountId: string;
  phoneNumber: string;
  phone: SeedDevice;
  companions: SeedDevice[];
}

export interface SeedChat {
  chatId: string;
  accountIds: string[];
}

export interface Seed {
  accounts: SeedAccount[];
  chats: SeedChat[];
}

/**
 * Creates accounts and linked computers through the real services, in process, on the SQLite file the
 * server will open afterwards. Each account gets its own (documentation-range, never contacted) IP so the
 * per-IP registration limits hold as they do for real users.
 */
export class Seeder {
  private readonly claimCodes = new Map<string, string>();
  private accountCount = 0;

  private constructor(
    private readonly services: Services,
    private readonly ctx: ServiceContext,
    private readonly sms: CapturedSms,
    private readonly closeContext: () => Promise<void>,
    private readonly firstNumber: number,
  ) {
    ctx.bus.subscribe((event) => {
      if (event.type === 'link.frame' && event.frame.type === 'link.approved') {
        this.claimCodes.set(event.linkId, event.frame.claimCode);
      }
    });
  }

  /** `firstNumber` offsets phone numbers, so a second seeder on the same store makes new accounts. */
  static async open(dataDir: string, firstNumber = 0): Promise<Seeder> {
    const sms = new CapturedSms();
    const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const { ctx, close } = await openContext(config, { sms });
    return new Seeder(createServices(ctx), ctx, sms, close, firstNumber);
  }

  /** Registers a phone (code by SMS, verify) and links `companions` computers to it. */
  async createAccount(companions: number): Promise<SeedAccount> {
    const index = this.firstNumber + this.accountCount++;
    const phoneNumber = `+1555${String(index).padStart(7, '0')}`;
    const ip = `2001:db8::${index.toString(16)}`;
    const key = BenchKey.generate();
    const { registration, accounts } = this.services;
    await registration.requestCode(phoneNumber, ip);
    const code = await this.sms.next(phoneNumber);
    const verified = await registration.verify({
      phoneNumber,
      code,
      publicKey: key.publicKey,
      ip,
      userAgent: 'LatchBench/1 (phone)',
    });
    await accounts.setName(verified.account.id, `Bench ${index}`);
    const phone: SeedDevice = {
      accountId: verified.account.id,
      deviceId: verified.deviceId,
      app: 'phone',
      cookie: verified.cookie,
      key,
    };
    const account: SeedAccount = { accountId: phone.accountId, phoneNumber, phone, companions: [] };
    for (let i = 0; i < companions; i++) account.companions.push(await this.linkCompanion(account, ip));
    return account;
  }

  /** start → issueRef → preview → approve (signed by the phone) → claim (signed by the computer). */
  private async linkCompanion(account: SeedAccount, ip: string): Promise<SeedDevice> {
    const { links } = this.services;
    const { ctx } = this;
    const phoneRow = await ctx.repos.devices.findById(account.phone.deviceId);
    if (!phoneRow) throw new Error('The seeded phone vanished');
    const approver = { accountId: account.accountId, device: phoneRow, ip };
    const key = BenchKey.generate();
    const linkId = await links.start({
      publicKey: key.publicKey,
      keepSignedIn: true,
      ip,
      userAgent: BENCH_USER_AGENT,
    });
    const ref = await links.issueRef(linkId, ctx.config.link.firstRefTtlMs);
    await links.preview(approver, { ref });
    await links.approve(approver, {
      linkId,
      devicePublicKey: key.publicKey,
      signature: account.phone.key.signNow(approvalMessage(linkId, key.publicKey)),
      mac: hmacBase64Url(randomBytes(16), linkMacMessage(key.publicKey, account.phone.key.publicKey)),
    });
    const claimCode = this.claimCodes.get(linkId);
    if (!claimCode) throw new Error('The approval published no claim code');
    this.claimCodes.delete(linkId);
    const claimed = await links.claim(claimCode, key.signNow(claimMessage(claimCode)));
    return {
      accountId: account.accountId,
      deviceId: claimed.deviceId,
      app: 'web',
      cookie: claimed.cookie,
      key,
    };
  }

  async openDirectChat(from: SeedAccount, to: SeedAccount): Promise<SeedChat> {
    const chat = await this.services.chats.openDirect(from.accountId, to.phoneNumber);
    return { chatId: chat.id, accountIds: [from.accountId, to.accountId] };
  }

  /**
   * Logs out every companion of these accounts at once as an operator would
   * (`latch logout <number>… --all`): the bulk path, a few hundred accounts per transaction.
   */
  logoutCompanionsAsAdmin(accountIds: string[]): Promise<number> {
    return this.services.devices.logoutMany({ accountIds, reason: 'admin' });
  }

  close(): Promise<void> {
    return this.closeContext();
  }
}

/** Seeds `accountCount` accounts with `companions` computers each, reporting progress on long runs. */
export async function seedAccounts(
  seeder: Seeder,
  accountCount: number,
  companions: number,
  onProgress?: (done: number) => void,
): Promise<SeedAccount[]> {
  const out: SeedAccount[] = [];
  for (let i = 0; i < accountCount; i++) {
    out.push(await seeder.createAccount(companions));
    if (onProgress && (i + 1) % 500 === 0) onProgress(i + 1);
  }
  return out;
}

// ---- the seed file ------------------------------------------------------------------------------

interface StoredDevice extends Omit<SeedDevice, 'key'> {
  privateKey: string;
}
interface StoredSeed {
  version: 1;
  accounts: Array<
    Omit<SeedAccount, 'phone' | 'companions'> & { phone: StoredDevice; companions: StoredDevice[] }
  >;
  chats: SeedChat[];
}

const storeDevice = ({ key, ...rest }: SeedDevice): StoredDevice => ({ ...rest, privateKey: key.toPkcs8() });
const loadDevice = ({ privateKey, ...rest }: StoredDevice): SeedDevice => ({
  ...rest,
  key: BenchKey.fromPkcs8(privateKey),
});

export function seedFilePath(dataDir: string): string {
  return path.join(dataDir, 'bench-seed.json');
}

/** Writes cookies and private keys next to the database: the handover from seeding to measuring. */
export function writeSeedFile(file: string, seed: Seed): void {
  const stored: StoredSeed = {
    version: 1,
    accounts: seed.accounts.map((a) => ({
      accountId: a.accountId,
      phoneNumber: a.phoneNumber,
      phone: storeDevice(a.phone),
      companions: a.companions.map(storeDevice),
    })),
    chats: seed.chats,
  };
  fs.writeFileSync(file, JSON.stringify(stored));
}

export function readSeedFile(file: string): Seed {
  const stored: StoredSeed = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (stored.version !== 1) throw new Error(`Unknown seed file version in ${file}`);
  return {
    accounts: stored.accounts.map((a) => ({
      accountId: a.accountId,
      phoneNumber: a.phoneNumber,
      phone: loadDevice(a.phone),
      companions: a.companions.map(loadDevice),
    })),
    chats: stored.chats,
  };
}
