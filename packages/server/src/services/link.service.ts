import {
  approvalMessage,
  claimMessage,
  LINK_CODE_ALPHABET,
  LINK_CODE_TTL_MS,
  type LinkPreview,
  type RpcParsedParams,
} from '@latch/protocol';
import { newId, randomFromAlphabet, randomToken, sha256, verifyDeviceSignature } from '../crypto';
import { AppError, conflict, forbidden, gone, notFound } from '../errors';
import type { DeviceRow } from '../repositories/device.repository';
import type { LinkSessionRow } from '../repositories/link.repository';
import type { Db } from '../store/database';
import { describeUserAgent } from '../userAgent';
import type { AccountService } from './account.service';
import { inTransaction, type ServiceContext } from './context';
import type { DeviceService } from './device.service';
import { forgetLinkCodeGuesses, reserveLinkCodeGuess } from './linkCodeGuesses';
import type { PinService } from './pin.service';
import type { SocketFailureCounter } from './rateLimiter';
import type { SecurityService } from './security.service';
import type { SessionService } from './session.service';

/** How long the phone may take to decide after scanning. */
export const APPROVAL_WINDOW_MS = 120_000;
/** A claim code must be redeemed this quickly after approval. */
export const CLAIM_TTL_MS = 60_000;
/** Phone-number codes per number and per IP per hour. */
export const LINK_CODES_PER_NUMBER_PER_HOUR = 5;
export const LINK_CODES_PER_IP_PER_HOUR = 10;

export interface LinkStart {
  publicKey: string;
  keepSignedIn: boolean;
  ip: string;
  userAgent: string | undefined;
}

/** The approving phone, as the gateway authenticated it. */
export interface Approver {
  accountId: string;
  device: DeviceRow;
  ip: string;
  /** Wrong linking codes typed on the socket this request came on. */
  codeGuesses?: SocketFailureCounter | undefined;
}

const refUsed = () => conflict('ref_used', 'This code was already used. Reload the QR code on the computer.');
const refExpired = () => gone('ref_expired', 'This code has expired. Reload the QR code on the computer.');
const refUnknown = () => notFound('ref_unknown', 'This code is not known to this server.');

/** Linking a computer: refs and codes, preview, approval by the phone, and the one-time claim. */
export class LinkService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: {
      accounts: AccountService;
      devices: DeviceService;
      sessions: SessionService;
      security: SecurityService;
      pins: PinService;
    },
  ) {}

  async start(input: LinkStart): Promise<string> {
    await this.ctx.limiter.consume(
      `link-start-ip:${input.ip}`,
      this.ctx.config.limits.linkStartsPerIpPerMinute,
      60_000,
      'Too many new link attempts from this network. Try again in a minute.',
    );
    const label = describeUserAgent(input.userAgent);
    const id = newId();
    await this.ctx.repos.links.insertSession({
      id,
      public_key: input.publicKey,
      keep_signed_in: input.keepSignedIn ? 1 : 0,
      ip: input.ip,
      user_agent: (input.userAgent ?? '').slice(0, 512),
      name: label.name,
      browser: label.browser,
      os: label.os,
      created_at: this.ctx.clock.now(),
      state: 'waiting',
      device_id: null,
      code_hash: null,
      code_account_id: null,
      code_issued_at: null,
      code_expires_at: null,
    });
    return id;
  }

  /** A new 128-bit ref for the QR; only its hash is stored. */
  async issueRef(linkId: string, ttlMs: number): Promise<string> {
    const ref = randomToken(16);
    const now = this.ctx.clock.now();
    await this.ctx.repos.links.insertRef({
      ref_hash: sha256(ref),
      link_id: linkId,
      issued_at: now,
      expires_at: now + ttlMs,
      used_at: null,
    });
    return ref;
  }

  /** Switches a link attempt to a phone-number code and prompts that account's phone. */
  async issueCode(
    linkId: string,
    phoneNumber: string,
    ip: string,
  ): Promise<{ code: string; expiresInMs: number }> {
    const { limiter, repos, clock } = this.ctx;
    const tooMany = 'Too many linking codes were requested. Try again later.';
    await limiter.consume(`link-code-ip:${ip}`, LINK_CODES_PER_IP_PER_HOUR, 3_600_000, tooMany);
    await limiter.consume(
      `link-code-number:${phoneNumber}`,
      LINK_CODES_PER_NUMBER_PER_HOUR,
      3_600_000,
      tooMany,
    );
    const account = await repos.accounts.findByPhone(phoneNumber);
    if (!account) throw notFound('not_registered', 'No Latch account uses this number.');
    const code = randomFromAlphabet(LINK_CODE_ALPHABET, 8);
    const now = clock.now();
    await repos.links.updateSession(linkId, {
      code_hash: sha256(code),
      code_account_id: account.id,
      code_issued_at: now,
      code_expires_at: now + LINK_CODE_TTL_MS,
    });
    await this.ctx.bus.publish({
      type: 'link.prompt',
      accountId: account.id,
      expiresAt: now + LINK_CODE_TTL_MS,
    });
    return { code, expiresInMs: LINK_CODE_TTL_MS };
  }

  async clearCode(linkId: string): Promise<void> {
    await this.ctx.repos.links.updateSession(linkId, {
      code_hash: null,
      code_account_id: null,
      code_issued_at: null,
      code_expires_at: null,
    });
  }

  /** The browser went away: nothing can be approved for it any more. */
  async close(linkId: string): Promise<void> {
    const s = await this.ctx.repos.links.findSession(linkId);
    if (s?.state === 'waiting')
      await this.ctx.repos.links.updateSession(linkId, { state: 'closed', code_hash: null });
  }

  /** What the phone shows before approving: which browser asks, from where, how old the code is. */
  async preview(approver: Approver, params: RpcParsedParams<'link.preview'>): Promise<LinkPreview> {
    this.assertPrimary(approver);
    const { session, issuedAt } = await this.findLive(approver, params);
    await this.ctx.bus.publish({ type: 'link.frame', linkId: session.id, frame: { type: 'link.scanned' } });
    const account = await this.ctx.repos.accounts.findById(approver.accountId);
    return {
      linkId: session.id,
      devicePublicKey: session.public_key,
      deviceName: session.name,
      browser: session.browser,
      os: session.os,
      ip: session.ip,
      sameNetwork: session.ip === approver.ip,
      ageMs: Math.max(0, this.ctx.clock.now() - issuedAt),
      pinRequired: account?.pin_hash != null,
    };
  }

  private async findLive(
    approver: Approver,
    params: RpcParsedParams<'link.preview'>,
  ): Promise<{ session: LinkSessionRow; issuedAt: number }> {
    const { repos, clock } = this.ctx;
    const now = clock.now();
    if ('ref' in params) {
      const ref = await repos.links.findRef(sha256(params.ref));
      if (!ref) throw refUnknown();
      const session = await repos.links.findSession(ref.link_id);
      if (!session) throw refUnknown();
      if (ref.used_at !== null || session.state === 'approved') throw refUsed();
      if (session.state === 'closed' || ref.expires_at <= now) throw refExpired();
      // The person is now deciding on the phone: keep this ref valid while they do.
      await repos.links.extendRef(ref.ref_hash, now + APPROVAL_WINDOW_MS);
      return { session, issuedAt: ref.issued_at };
    }
    const lockedForMs = await reserveLinkCodeGuess(this.ctx, approver);
    const session = await repos.links.findSessionByCode(sha256(params.code));
    if (!session || session.code_account_id !== approver.accountId) {
      throw new AppError(
        404,
        'ref_unknown',
        'That linking code is not right. Check it on the computer.',
        lockedForMs > 0 ? { retryAfterMs: lockedForMs } : {},
      );
    }
    await forgetLinkCodeGuesses(this.ctx, approver);
    if (session.state === 'approved') throw refUsed();
    if (session.state === 'closed' || (session.code_expires_at ?? 0) <= now) throw refExpired();
    return { session, issuedAt: session.code_issued_at ?? now };
  }

  private assertPrimary(approver: Approver): void {
    if (approver.device.kind !== 'primary') {
      throw forbidden('not_primary', 'Only the phone can link new devices.');
    }
  }

  /** The phone approves: checks everything, creates the companion and hands the browser a claim code. */
  async approve(approver: Approver, params: RpcParsedParams<'link.approve'>): Promise<{ deviceId: string }> {
    this.assertPrimary(approver);
    const { repos, clock } = this.ctx;
    const session = await repos.links.findSession(params.linkId);
    if (!session) throw refUnknown();
    if (session.state === 'approved') return this.refuseReplay(approver, session.id);
    if (session.state === 'closed' || !(await this.hasLiveCredential(session, approver.accountId))) {
      throw refExpired();
    }
    if (session.public_key !== params.devicePublicKey) {
      throw forbidden(
        'signature_invalid',
        'The code was changed after the computer showed it. Nothing was linked.',
      );
    }
    const message = approvalMessage(session.id, params.devicePublicKey);
    if (!verifyDeviceSignature(approver.device.public_key, message, params.signature)) {
      throw forbidden('signature_invalid', 'The approval was not signed by this account’s phone.');
    }
    const accountRow = await repos.accounts.findById(approver.accountId);
    if (accountRow) await this.deps.pins.require(accountRow, params.pin, approver.ip);
    const claimCode = randomToken(32);
    const deviceId = newId();
    const account = await this.deps.accounts.get(approver.accountId);
    const won = await inTransaction(this.ctx, async (trx, publish) => {
      // Check-and-set inside the transaction: of two approvals racing for one link, only one wins.
      if (!(await repos.links.markApproved(session.id, deviceId, trx))) return false;
      await this.assertUnderCap(approver.accountId, trx);
      const now = clock.now();
      await repos.devices.insert(
        {
          id: deviceId,
          account_id: approver.accountId,
          kind: 'companion',
          name: session.name,
          browser: session.browser,
          os: session.os,
          public_key: session.public_key,
          token_hash: null,
          claim_hash: sha256(claimCode),
          claim_expires_at: now + CLAIM_TTL_MS,
          link_id: session.id,
          keep_signed_in: session.keep_signed_in,
          created_at: now,
          last_active_at: now,
          online_until: 0,
          ip: session.ip,
          revoked_at: null,
          revoked_reason: null,
          wiped_at: null,
        },
        trx,
      );
      await repos.links.useRefs(session.id, now, trx);
      await this.deps.security.record(
        trx,
        {
          accountId: approver.accountId,
          type: 'device_linked',
          deviceId,
          deviceName: session.name,
          ip: session.ip,
        },
        publish,
      );
      publish({ type: 'devices.changed', accountId: approver.accountId });
      publish({
        type: 'link.frame',
        linkId: session.id,
        frame: {
          type: 'link.approved',
          claimCode,
          deviceId,
          account: { name: account.name, phoneNumber: account.phoneNumber, identityKey: account.identityKey },
          mac: params.mac,
          signature: params.signature,
        },
      });
      return true;
    });
    if (!won) return this.refuseReplay(approver, session.id);
    return { deviceId };
  }

  /** A second approval of a link: refused, and whatever the first one produced is no longer trustworthy. */
  private async refuseReplay(approver: Approver, linkId: string): Promise<never> {
    const session = await this.ctx.repos.links.findSession(linkId);
    if (session?.state !== 'approved') throw refExpired();
    if (session.device_id) {
      await this.deps.devices.logout({
        accountId: approver.accountId,
        deviceIds: [session.device_id],
        reason: 'replayed',
        ip: approver.ip,
      });
    }
    throw refUsed();
  }

  async refuse(approver: Approver, linkId: string): Promise<void> {
    this.assertPrimary(approver);
    await this.ctx.bus.publish({
      type: 'link.frame',
      linkId,
      frame: {
        type: 'link.error',
        error: { code: 'forbidden', message: 'The phone declined this request.' },
      },
    });
  }

  private async hasLiveCredential(session: LinkSessionRow, accountId: string): Promise<boolean> {
    const now = this.ctx.clock.now();
    if (session.code_account_id === accountId && (session.code_expires_at ?? 0) > now) return true;
    const ref = await this.ctx.repos.links.latestRef(session.id);
    return ref !== undefined && ref.used_at === null && ref.expires_at > now;
  }

  /** Inside the approval's transaction, so two racing approvals cannot both take the last slot. */
  private async assertUnderCap(accountId: string, trx: Db): Promise<void> {
    // PostgreSQL runs transactions side by side: lock the account so racing approvals count in turn.
    await this.ctx.repos.accounts.lockAccount(accountId, trx);
    const now = this.ctx.clock.now();
    const companions = (await this.ctx.repos.devices.listActive(accountId, 'companion', trx)).filter(
      (d) => d.claim_hash === null || (d.claim_expires_at ?? 0) > now,
    );
    if (companions.length >= this.ctx.config.maxCompanions) {
      throw conflict(
        'device_limit',
        `Too many devices linked (${companions.length} of ${this.ctx.config.maxCompanions}). Log one out first.`,
        { devices: companions.map((d) => ({ id: d.id, name: d.name })) },
      );
    }
  }

  /** The browser redeems its claim code with a signature by the key its QR carried. */
  async claim(
    claimCode: string,
    signature: string,
  ): Promise<{ deviceId: string; cookie: string; keepSignedIn: boolean }> {
    const { repos, clock } = this.ctx;
    const invalid = () =>
      new AppError(401, 'claim_invalid', 'This link could not be completed. Scan a new code.');
    const device = await repos.devices.findByClaimHash(sha256(claimCode));
    if (!device || device.revoked_at !== null || (device.claim_expires_at ?? 0) <= clock.now())
      throw invalid();
    if (!verifyDeviceSignature(device.public_key, claimMessage(claimCode), signature)) throw invalid();
    const cookie = await inTransaction(this.ctx, (trx) => this.deps.sessions.issue(device.id, trx));
    return { deviceId: device.id, cookie, keepSignedIn: device.keep_signed_in === 1 };
  }
}
