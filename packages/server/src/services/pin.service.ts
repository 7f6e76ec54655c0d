import { type AccountView, isTrivialPin } from '@latch/protocol';
import { hash, verify } from '@node-rs/argon2';
import { randomToken, sha256 } from '../crypto';
import { AppError, badRequest } from '../errors';
import type { AccountRow } from '../repositories/account.repository';
import type { AccountService } from './account.service';
import { inTransaction, type ServiceContext } from './context';
import type { FailurePolicy, Refusal } from './rateLimiter';
import type { SecurityService } from './security.service';

/** Wrong PINs in a row before the first wait; from then on each one waits longer (30 s, 5 min, 1 h). */
export const PIN_FAILURES_BEFORE_LOCK = 5;
/** Wrong PINs in a row after which the PIN path is closed until a reset. */
export const PIN_FAILURES_TO_CLOSE = 10;
export const PIN_RESET_LINK_TTL_MS = 24 * 3_600_000;
/** Forgotten PIN without a recovery email: how long re-registration waits. */
export const FORGOT_PIN_WAIT_MS = 7 * 86_400_000;
export const PIN_REMINDER_AFTER_MS = 7 * 86_400_000;

/** Argon2id, OWASP's minimum profile: 19 MiB, 2 passes. Salted per hash. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

const WRONG_PIN = 'Wrong PIN.';

/** PIN-3: from the 5th wrong PIN in a row each waits longer; after the 10th the path is closed. */
const PIN_POLICY: FailurePolicy = {
  failuresBeforeLock: PIN_FAILURES_BEFORE_LOCK,
  closeAfter: PIN_FAILURES_TO_CLOSE,
};

/** A PIN attempt refused before it was compared: closed for good, or a wait. */
function pinRefused(refusal: Refusal): AppError {
  if (refusal.closed) {
    return new AppError(
      423,
      'pin_locked',
      'Two-step verification is locked after too many wrong PINs. Reset it by email or re-register after 7 days.',
    );
  }
  return new AppError(429, 'pin_locked', 'Too many wrong PINs. Try again later.', {
    retryAfterMs: refusal.retryAfterMs,
  });
}

/** Two-step verification: the 6-digit PIN that guards linking, logging out devices and re-registration. */
export class PinService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly accounts: AccountService,
    private readonly security: SecurityService,
  ) {}

  private key(accountId: string): string {
    return `pin:${accountId}`;
  }

  /**
   * Checks the PIN when the account has one. Every failure gives the same message. Each guess is
   * first reserved in the store (counted as a failure in a row, starting the wait it would mean), and
   * only then compared: guesses sent at once are refused once the count is reached, never all
   * evaluated. A right PIN resets the count, including guesses still being compared at that moment
   * (they were made alongside the right one). Lockouts and the final close hold on every node.
   */
  async require(account: AccountRow, pin: string | undefined, ip: string | null): Promise<void> {
    if (!account.pin_hash) return;
    const key = this.key(account.id);
    const { limiter } = this.ctx;
    if (pin === undefined) {
      const refusal = await limiter.refusal(key, PIN_POLICY);
      if (refusal) throw pinRefused(refusal);
      throw new AppError(403, 'pin_required', 'Enter your two-step verification PIN.');
    }
    const reserved = await limiter.reserve(key, PIN_POLICY);
    if (!reserved.ok) throw pinRefused(reserved);
    if (await this.verifyPin(account.pin_hash, pin)) {
      await limiter.reset(key);
      await this.ctx.repos.accounts.update(account.id, { pin_last_used_at: this.ctx.clock.now() });
      return;
    }
    const { failures, lockedForMs } = reserved;
    await inTransaction(this.ctx, async (trx, publish) => {
      const type = failures >= PIN_FAILURES_TO_CLOSE || lockedForMs > 0 ? 'pin_locked' : 'pin_failed';
      await this.security.record(
        trx,
        { accountId: account.id, type, ip, reason: `${failures} wrong in a row` },
        publish,
      );
    });
    throw new AppError(403, 'pin_invalid', WRONG_PIN, lockedForMs ? { retryAfterMs: lockedForMs } : {});
  }

  /** {@link require} for the account behind an authenticated caller (the gateway's `rpcPolicy`). */
  async requireIfEnabled(accountId: string, pin: string | undefined, ip: string | null): Promise<void> {
    await this.require(await this.load(accountId), pin, ip);
  }

  /** Turns two-step on or changes the PIN; the gateway has checked the current PIN (`rpcPolicy`). */
  async set(
    accountId: string,
    input: { pin: string; recoveryEmail?: string | null | undefined },
    ip: string,
  ): Promise<AccountView> {
    const account = await this.load(accountId);
    if (isTrivialPin(input.pin)) throw badRequest('That PIN is too easy to guess. Choose another.');
    const now = this.ctx.clock.now();
    const pinHash = await hash(input.pin, ARGON2);
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.accounts.update(
        accountId,
        {
          pin_hash: pinHash,
          pin_set_at: now,
          pin_last_used_at: now,
          pin_reminder_at: now,
          pin_reset_available_at: null,
          ...(input.recoveryEmail !== undefined ? { recovery_email: input.recoveryEmail } : {}),
        },
        trx,
      );
      await this.security.record(
        trx,
        { accountId, type: account.pin_hash ? 'pin_changed' : 'pin_set', ip },
        publish,
      );
      publish({ type: 'account.changed', accountId });
    });
    await this.ctx.limiter.reset(this.key(accountId));
    return this.accounts.get(accountId);
  }

  /** Turns two-step off; the gateway has checked the PIN (`rpcPolicy`). */
  async disable(accountId: string, ip: string): Promise<AccountView> {
    const account = await this.load(accountId);
    if (!account.pin_hash) return this.accounts.get(accountId);
    await inTransaction(this.ctx, async (trx, publish) => {
      await this.ctx.repos.accounts.update(
        accountId,
        { pin_hash: null, pin_set_at: null, recovery_email: null, pin_reset_token_hash: null },
        trx,
      );
      await this.security.record(trx, { accountId, type: 'pin_disabled', ip }, publish);
      publish({ type: 'account.changed', accountId });
    });
    return this.accounts.get(accountId);
  }

  /** The gateway has checked the PIN (`rpcPolicy`). */
  async setRecoveryEmail(accountId: string, email: string | null): Promise<AccountView> {
    const account = await this.load(accountId);
    if (!account.pin_hash) throw badRequest('Turn on two-step verification first.');
    await this.ctx.repos.accounts.update(accountId, { recovery_email: email });
    await this.ctx.bus.publish({ type: 'account.changed', accountId });
    return this.accounts.get(accountId);
  }

  /**
   * The reminder's "confirm your PIN": the PIN counts like any other attempt (the gateway checked it,
   * `rpcPolicy`); this moves the next reminder.
   */
  async confirm(accountId: string): Promise<void> {
    const account = await this.load(accountId);
    if (!account.pin_hash) throw badRequest('Two-step verification is off.');
    await this.ctx.repos.accounts.update(accountId, { pin_reminder_at: this.ctx.clock.now() });
  }

  /**
   * Emails a one-time reset link to the recovery address. Says nothing about whether the account
   * exists. The link is on PUBLIC_URL, never on the request's Host (SEC-5).
   */
  async requestReset(phoneNumber: string, ip: string): Promise<void> {
    const { limiter, repos, clock } = this.ctx;
    await limiter.consume(`pin-reset-ip:${ip}`, 5, 3_600_000);
    await limiter.consume(`pin-reset-number:${phoneNumber}`, 3, 3_600_000);
    const account = await repos.accounts.findByPhone(phoneNumber);
    if (!account?.pin_hash || !account.recovery_email) return;
    const token = randomToken(32);
    await repos.accounts.update(account.id, {
      pin_reset_token_hash: sha256(token),
      pin_reset_expires_at: clock.now() + PIN_RESET_LINK_TTL_MS,
    });
    await this.ctx.email.send(
      account.recovery_email,
      'Reset your Latch two-step verification PIN',
      `Open this link to turn off two-step verification for ${phoneNumber}: ${this.ctx.publicUrl.to(`/phone/#pin-reset=${token}`)}\nIt works once, for 24 hours. If you did not ask for this, ignore this email.`,
    );
  }

  /** Redeems a reset link: two-step verification is off, so the number can be registered again. */
  async confirmReset(token: string, ip: string): Promise<void> {
    const { repos, clock } = this.ctx;
    const account = await repos.accounts.findByResetToken(sha256(token));
    if (!account || (account.pin_reset_expires_at ?? 0) <= clock.now()) {
      throw new AppError(400, 'code_invalid', 'This reset link is not valid any more.');
    }
    await inTransaction(this.ctx, async (trx, publish) => {
      await repos.accounts.update(
        account.id,
        { pin_hash: null, pin_set_at: null, pin_reset_token_hash: null, pin_reset_expires_at: null },
        trx,
      );
      await this.security.record(
        trx,
        { accountId: account.id, type: 'pin_disabled', reason: 'reset by email', ip },
        publish,
      );
      publish({ type: 'account.changed', accountId: account.id });
    });
    await this.ctx.limiter.reset(this.key(account.id));
  }

  /**
   * Forgotten PIN, no recovery email: the first request starts a 7-day wait (the account's devices are
   * told); once it has passed, re-registration goes ahead without the PIN.
   */
  async forgotPin(account: AccountRow, ip: string): Promise<'wait' | 'open'> {
    const now = this.ctx.clock.now();
    if (account.pin_reset_available_at !== null && account.pin_reset_available_at <= now) return 'open';
    if (account.pin_reset_available_at === null) {
      await inTransaction(this.ctx, async (trx, publish) => {
        await this.ctx.repos.accounts.update(
          account.id,
          { pin_reset_available_at: now + FORGOT_PIN_WAIT_MS },
          trx,
        );
        await this.security.record(
          trx,
          {
            accountId: account.id,
            type: 'pin_failed',
            reason: 'forgot PIN: re-registration requested, opens in 7 days',
            ip,
          },
          publish,
        );
        publish({ type: 'account.changed', accountId: account.id });
      });
    }
    return 'wait';
  }

  /** The argon2id comparison of one guess: a method of its own so tests can count what is evaluated. */
  verifyPin(pinHash: string, pin: string): Promise<boolean> {
    return verify(pinHash, pin);
  }

  private async load(accountId: string): Promise<AccountRow> {
    const account = await this.ctx.repos.accounts.findById(accountId);
    if (!account) throw new AppError(404, 'not_found', 'No such account.');
    return account;
  }
}
