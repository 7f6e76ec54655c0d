import {
  approvalMessage,
  claimMessage,
  LINK_CODE_ALPHABET,
  LINK_CODE_TTL_MS,
  type LinkPreview,
  type RpcParsedParams,
} from '@latch/protocol';
import { newId, randomFromAlphabet, randomToken, sha256, verifyDeviceSignature } from '../crypto';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { Db } from '../store/database';
import { describeUserAgent } from '../userAgent';
import type { AccountService } from './account.service';
import { inTransaction, type ServiceContext } from './context';
import type { DeviceService } from './device.service';
import { type Approver, LinkPreviews, notPreviewed, refExpired, refUsed } from './linkPreview';
import { sameNetwork } from './numberMatch';
import type { SecurityService } from './security.service';
import type { SessionService } from './session.service';

export { APPROVAL_WINDOW_MS, type Approver } from './linkPreview';
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

/** Linking a computer: refs and codes, preview, approval by the phone, and the one-time claim. */
export class LinkService {
  private readonly previews: LinkPreviews;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly deps: {
      accounts: AccountService;
      devices: DeviceService;
      sessions: SessionService;
      security: SecurityService;
    },
  ) {
    this.previews = new LinkPreviews(ctx, deps.security);
  }

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
      previewed_by: null,
      previewed_ref_hash: null,
      match_number: null,
      match_choices: null,
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
    // LNK-15: from now on only the code links; the QR the page showed before is retired.
    await inTransaction(this.ctx, async (trx) => {
      await repos.links.switchMethod(
        linkId,
        {
          code_hash: sha256(code),
          code_account_id: account.id,
          code_issued_at: now,
          code_expires_at: now + LINK_CODE_TTL_MS,
        },
        trx,
      );
      await repos.links.retireRefs(linkId, now, trx);
    });
    await this.ctx.bus.publish({
      type: 'link.prompt',
      accountId: account.id,
      expiresAt: now + LINK_CODE_TTL_MS,
    });
    return { code, expiresInMs: LINK_CODE_TTL_MS };
  }

  /** Back from a phone-number code to the QR (LNK-15): the code and any earlier ref are retired. */
  async clearCode(linkId: string): Promise<void> {
    await inTransaction(this.ctx, async (trx) => {
      await this.ctx.repos.links.switchMethod(linkId, null, trx);
      await this.ctx.repos.links.retireRefs(linkId, this.ctx.clock.now(), trx);
    });
  }

  /** The browser went away: nothing can be approved for it any more. */
  async close(linkId: string): Promise<void> {
    const s = await this.ctx.repos.links.findSession(linkId);
    if (s?.state === 'waiting')
      await this.ctx.repos.links.updateSession(linkId, { state: 'closed', code_hash: null });
  }

  /**
   * What the phone shows before approving: which browser asks, from where, how old the code is. The
   * first phone to preview an attempt is the only one that may then approve or refuse it (LNK-14);
   * when it is on another network than the computer, it must also pick the computer's number (LNK-16).
   */
  async preview(approver: Approver, params: RpcParsedParams<'link.preview'>): Promise<LinkPreview> {
    const { session, issuedAt, refHash } = await this.previews.findLive(approver, params);
    const onSameNetwork = sameNetwork(session.ip, approver.ip);
    const choices = await this.previews.bind(session, approver, refHash, onSameNetwork);
    const account = await this.ctx.repos.accounts.findById(approver.accountId);
    return {
      linkId: session.id,
      devicePublicKey: session.public_key,
      deviceName: session.name,
      browser: session.browser,
      os: session.os,
      ip: session.ip,
      sameNetwork: onSameNetwork,
      matchChoices: choices,
      ageMs: Math.max(0, this.ctx.clock.now() - issuedAt),
      pinRequired: account?.pin_hash != null,
    };
  }

  /** The phone approves: checks everything, creates the companion and hands the browser a claim code. */
  async approve(approver: Approver, params: RpcParsedParams<'link.approve'>): Promise<{ deviceId: string }> {
    const { repos, clock } = this.ctx;
    const session = await repos.links.findSession(params.linkId);
    // LNK-14: only the phone that previewed this attempt may decide on it.
    if (!session || session.previewed_by !== approver.device.id) throw notPreviewed();
    if (session.state === 'approved') return this.refuseReplay(approver, session.id);
    if (session.state === 'closed' || !(await this.previews.credentialLive(session, approver.accountId))) {
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
    await this.previews.checkNumber(session, approver, params.matchNumber);
    const claimCode = randomToken(32);
    const deviceId = newId();
    const account = await this.deps.accounts.get(approver.accountId);
    const won = await inTransaction(this.ctx, async (trx, publish) => {
      // Check-and-set inside the transaction: of two approvals racing for one link, only one wins.
      const previewed = { by: approver.device.id, matchNumber: session.match_number };
      if (!(await repos.links.markApproved(session.id, deviceId, previewed, trx))) return false;
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
          revoked_token_hash: null,
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

  /** The previewing phone said no: the preview ends, its ref is retired, the computer starts over. */
  async refuse(approver: Approver, linkId: string): Promise<void> {
    await this.previews.end(approver, linkId, {
      code: 'forbidden',
      message: 'The phone declined this request.',
    });
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
  ): Promise<{ deviceId: string; cookie: string; keepSignedIn: boolean; maxAgeS: number }> {
    const { repos, clock } = this.ctx;
    const invalid = () =>
      new AppError(401, 'claim_invalid', 'This link could not be completed. Scan a new code.');
    const device = await repos.devices.findByClaimHash(sha256(claimCode));
    if (!device || device.revoked_at !== null || (device.claim_expires_at ?? 0) <= clock.now())
      throw invalid();
    if (!verifyDeviceSignature(device.public_key, claimMessage(claimCode), signature)) throw invalid();
    const cookie = await inTransaction(this.ctx, (trx) => this.deps.sessions.issue(device.id, trx));
    // The cookie never outlives the session (SESSION_MAX_AGE_DAYS from the link).
    const expiresAt = this.deps.sessions.expiresAt(device) ?? clock.now();
    const maxAgeS = Math.max(0, Math.floor((expiresAt - clock.now()) / 1000));
    return { deviceId: device.id, cookie, keepSignedIn: device.keep_signed_in === 1, maxAgeS };
  }
}
