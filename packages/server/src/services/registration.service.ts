import { randomInt } from 'node:crypto';
import type { AccountView, RegisterCodeResponse } from '@latch/protocol';
import { digestsEqual, newId, sha256 } from '../crypto';
import { AppError, rateLimited } from '../errors';
import { presentAccount } from '../presenters/account.presenter';
import { freshAccount } from '../repositories/account.repository';
import type { VerificationRow } from '../repositories/verification.repository';
import { describeUserAgent } from '../userAgent';
import { inTransaction, type ServiceContext } from './context';
import type { PinService } from './pin.service';
import type { FailurePolicy } from './rateLimiter';
import type { SecurityService } from './security.service';
import type { SessionService } from './session.service';

export const CODE_TTL_MS = 10 * 60_000;
export const RESEND_AFTER_MS = 30_000;
/** Codes per number per hour, and per IP per hour. */
export const CODES_PER_NUMBER_PER_HOUR = 5;
export const CODES_PER_IP_PER_HOUR = 20;

/** REG-3: from the 5th wrong code in a row each waits longer (30 s, 5 min, 1 h). */
const CODE_POLICY: FailurePolicy = { failuresBeforeLock: 5 };
const TOO_MANY_WRONG_CODES = 'Too many wrong codes. Try again later.';

const resendKeyOf = (phone: string) => `sms-resend:${phone}`;
const hashCode = (phone: string, code: string) => sha256(`${phone}:${code}`);

export interface VerifyInput {
  phoneNumber: string;
  code: string;
  publicKey: string;
  pin?: string | undefined;
  forgotPin?: boolean | undefined;
  ip: string;
  userAgent: string | undefined;
}

export interface VerifyResult {
  account: AccountView;
  deviceId: string;
  cookie: string;
  existing: boolean;
}

/** Proving a phone number and installing this phone as the account's primary device. */
export class RegistrationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly sessions: SessionService,
    private readonly security: SecurityService,
    private readonly pins: PinService,
  ) {}

  async requestCode(phoneNumber: string, ip: string): Promise<RegisterCodeResponse> {
    const { limiter, repos, clock } = this.ctx;
    await limiter.assertNotLocked(`verify:${phoneNumber}`, TOO_MANY_WRONG_CODES);
    // The wait between sends is a quota of one per 30 s, reserved atomically: requests sent at once
    // for one number send one code.
    const resendKey = resendKeyOf(phoneNumber);
    await limiter.consume(resendKey, 1, RESEND_AFTER_MS, 'Wait a moment before asking for another code.');
    await limiter.consume(`sms-ip:${ip}`, CODES_PER_IP_PER_HOUR, 3_600_000);
    await limiter.consume(`sms-number:${phoneNumber}`, CODES_PER_NUMBER_PER_HOUR, 3_600_000);
    const now = clock.now();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await repos.verification.put({
      phone_number: phoneNumber,
      code_hash: hashCode(phoneNumber, code),
      expires_at: now + CODE_TTL_MS,
      attempts: 0,
      sent_at: now,
    });
    try {
      await this.ctx.sms.sendCode(phoneNumber, code);
    } catch (err) {
      // Nothing was sent: asking again at once is fine.
      await repos.verification.delete(phoneNumber);
      await limiter.reset(resendKey);
      throw err;
    }
    return { expiresInMs: CODE_TTL_MS, resendInMs: RESEND_AFTER_MS };
  }

  async verify(input: VerifyInput): Promise<VerifyResult> {
    const { limiter, repos, clock } = this.ctx;
    const lockKey = `verify:${input.phoneNumber}`;
    await limiter.assertNotLocked(lockKey, TOO_MANY_WRONG_CODES);
    const row = await repos.verification.find(input.phoneNumber);
    if (!row) throw new AppError(400, 'code_invalid', 'That code is not right. Ask for a new one if needed.');
    if (row.expires_at <= clock.now()) {
      throw new AppError(400, 'code_expired', 'That code has expired. Ask for a new one.');
    }
    // The guess is counted (and the wait it would start set) before it is compared.
    const reserved = await limiter.reserve(lockKey, CODE_POLICY);
    if (!reserved.ok) throw rateLimited(reserved.retryAfterMs, TOO_MANY_WRONG_CODES);
    if (!this.codeMatches(row, input.code)) {
      await repos.verification.countAttempt(input.phoneNumber);
      if (reserved.lockedForMs > 0) throw rateLimited(reserved.lockedForMs, TOO_MANY_WRONG_CODES);
      throw new AppError(400, 'code_invalid', 'That code is not right.');
    }
    await limiter.reset(lockKey);
    await this.checkTwoStep(input);
    // The code is used up: a new one may be asked for at once (the wait guards a pending code).
    await repos.verification.delete(input.phoneNumber);
    await limiter.reset(resendKeyOf(input.phoneNumber));
    return this.installPrimary(input);
  }

  /** The comparison of one guess with the code sent: a method of its own so tests can count them. */
  codeMatches(row: VerificationRow, code: string): boolean {
    return digestsEqual(row.code_hash, hashCode(row.phone_number, code));
  }

  /**
   * A number with two-step verification moves to a new phone only with the PIN, or, when it was
   * forgotten and there is no recovery email, after a 7-day wait the account's devices are told about.
   */
  private async checkTwoStep(input: VerifyInput): Promise<void> {
    const account = await this.ctx.repos.accounts.findByPhone(input.phoneNumber);
    if (!account?.pin_hash) return;
    if (input.forgotPin && input.pin === undefined) {
      if ((await this.pins.forgotPin(account, input.ip)) === 'open') {
        await this.ctx.repos.accounts.update(account.id, { pin_hash: null, pin_reset_available_at: null });
        return;
      }
      const fresh = await this.ctx.repos.accounts.findById(account.id);
      throw new AppError(
        403,
        'pin_locked',
        'You can register this number without the PIN 7 days after asking.',
        {
          details: { resetAvailableAt: fresh?.pin_reset_available_at ?? null },
        },
      );
    }
    await this.pins.require(account, input.pin, input.ip);
  }

  /** Creates the account if new; makes this phone its only primary device, logging out everything else. */
  private installPrimary(input: VerifyInput): Promise<VerifyResult> {
    const { repos, clock } = this.ctx;
    return inTransaction(this.ctx, async (trx, publish) => {
      const now = clock.now();
      let account = await repos.accounts.findByPhone(input.phoneNumber, trx);
      const existing = account !== undefined;
      if (!account) {
        account = freshAccount({ id: newId(), phone_number: input.phoneNumber, created_at: now });
        await repos.accounts.insert(account, trx);
      }
      // Two phones verifying one number at once: the second waits here, then logs out the first.
      await repos.accounts.lockAccount(account.id, trx);
      const label = describeUserAgent(input.userAgent);
      const deviceId = newId();
      const previous = existing ? await repos.devices.listActive(account.id, undefined, trx) : [];
      const revoked = await repos.devices.revoke(
        previous.map((d) => d.id),
        'reregistered',
        now,
        trx,
      );
      await repos.devices.insert(
        {
          id: deviceId,
          account_id: account.id,
          kind: 'primary',
          name: label.name,
          browser: label.browser,
          os: label.os,
          public_key: input.publicKey,
          token_hash: null,
          claim_hash: null,
          claim_expires_at: null,
          link_id: null,
          keep_signed_in: 1,
          created_at: now,
          last_active_at: now,
          online_until: 0,
          ip: input.ip,
          revoked_at: null,
          revoked_reason: null,
          wiped_at: null,
          revoked_token_hash: null,
        },
        trx,
      );
      const cookie = await this.sessions.issue(deviceId, trx);
      await this.security.record(
        trx,
        {
          accountId: account.id,
          type: existing ? 'reregistered' : 'registered',
          deviceId,
          deviceName: label.name,
          ip: input.ip,
        },
        publish,
      );
      // Every revocation is a security event (DESIGN §5), these too: the audit stream lists each device.
      const loggedOut = revoked.map((d) => ({
        accountId: account.id,
        type: 'device_logged_out' as const,
        deviceId: d.id,
        deviceName: d.name,
        reason: 'reregistered',
        ip: input.ip,
      }));
      await this.security.recordMany(trx, loggedOut, publish);
      if (revoked.length > 0) {
        publish({ type: 'devices.revoked', deviceIds: revoked.map((d) => d.id), reason: 'reregistered' });
      }
      publish({ type: 'devices.changed', accountId: account.id });
      return { account: presentAccount(account, input.publicKey), deviceId, cookie, existing };
    });
  }
}
