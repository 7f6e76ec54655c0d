import type { ErrorPayload, RpcParsedParams } from '@latch/protocol';
import { sha256 } from '../crypto';
import { AppError, conflict, forbidden, gone, notFound } from '../errors';
import type { DeviceRow } from '../repositories/device.repository';
import type { LinkSessionRow } from '../repositories/link.repository';
import { inTransaction, type ServiceContext } from './context';
import { forgetLinkCodeGuesses, reserveLinkCodeGuess } from './linkCodeGuesses';
import { decodeChoices, drawNumberMatch, encodeChoices } from './numberMatch';
import type { SocketFailureCounter } from './rateLimiter';
import type { SecurityService } from './security.service';

/** How long the phone may take to decide after scanning. */
export const APPROVAL_WINDOW_MS = 120_000;

/** The approving phone, as the gateway authenticated it. */
export interface Approver {
  accountId: string;
  device: DeviceRow;
  ip: string;
  /** Wrong linking codes typed on the socket this request came on (LIM-3). */
  codeGuesses?: SocketFailureCounter | undefined;
}

export const refUsed = () =>
  conflict('ref_used', 'This code was already used. Reload the QR code on the computer.');
export const refExpired = () =>
  gone('ref_expired', 'This code has expired. Reload the QR code on the computer.');
const refUnknown = () => notFound('ref_unknown', 'This code is not known to this server.');
/** LNK-14: deciding on an attempt this phone did not preview (or whose preview ended). */
export const notPreviewed = () =>
  notFound('ref_unknown', 'This request is not waiting for this phone. Scan the code on the computer again.');
const beingApproved = () => conflict('ref_used', 'Another phone is already deciding on this code.');

const MISMATCH_FOR_COMPUTER: ErrorPayload = {
  code: 'number_mismatch',
  message: 'The number picked on the phone did not match. Scan the new code and pick the number shown here.',
};

/**
 * Who may decide on a link attempt (LNK-14), what they previewed it through (LNK-15), and the number
 * they must pick when the computer is on another network (LNK-16). The rows say it all: any node can
 * serve any step.
 */
export class LinkPreviews {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly security: SecurityService,
  ) {}

  /** The waiting attempt behind a scanned ref or a typed code, or why there is none. */
  async findLive(
    approver: Approver,
    params: RpcParsedParams<'link.preview'>,
  ): Promise<{ session: LinkSessionRow; issuedAt: number; refHash: string | null }> {
    const { repos, clock } = this.ctx;
    const now = clock.now();
    if ('ref' in params) {
      const ref = await repos.links.findRef(sha256(params.ref));
      if (!ref) throw refUnknown();
      const session = await repos.links.findSession(ref.link_id);
      if (!session) throw refUnknown();
      if (ref.used_at !== null || session.state === 'approved') throw refUsed();
      if (session.state === 'closed' || ref.expires_at <= now) throw refExpired();
      return { session, issuedAt: ref.issued_at, refHash: ref.ref_hash };
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
    return { session, issuedAt: session.code_issued_at ?? now, refHash: null };
  }

  /**
   * Binds the attempt to the previewing phone, or finds it already bound to that phone (a second look).
   * Returns the number choices to offer, or null when the phone is on the computer's network.
   */
  async bind(
    session: LinkSessionRow,
    approver: Approver,
    refHash: string | null,
    onSameNetwork: boolean,
  ): Promise<[number, number, number] | null> {
    const { repos, clock, bus } = this.ctx;
    const match = onSameNetwork ? null : drawNumberMatch();
    const bound = await repos.links.bindPreview(session.id, {
      by: approver.device.id,
      refHash,
      matchNumber: match?.number ?? null,
      matchChoices: match ? encodeChoices(match.choices) : null,
    });
    if (!bound) {
      // Looked at again by the same phone: the same number and the same choices (new decoys would
      // let anyone who previews twice keep the one number both sets share).
      const again = await repos.links.findSession(session.id);
      if (again?.state !== 'waiting' || again.previewed_by !== approver.device.id) throw beingApproved();
      return again.match_choices === null ? null : decodeChoices(again.match_choices);
    }
    // The person is now deciding on the phone: keep this ref valid while they do.
    if (refHash !== null) await repos.links.extendRef(refHash, clock.now() + APPROVAL_WINDOW_MS);
    await bus.publish({
      type: 'link.frame',
      linkId: session.id,
      frame: { type: 'link.scanned', ...(match ? { matchNumber: match.number } : {}) },
    });
    return match?.choices ?? null;
  }

  /** The credential the phone previewed through is still live: its ref (LNK-15 retires it), or the code. */
  async credentialLive(session: LinkSessionRow, accountId: string): Promise<boolean> {
    const now = this.ctx.clock.now();
    if (session.previewed_ref_hash === null) {
      return session.code_account_id === accountId && (session.code_expires_at ?? 0) > now;
    }
    const ref = await this.ctx.repos.links.findRef(session.previewed_ref_hash);
    return ref !== undefined && ref.link_id === session.id && ref.used_at === null && ref.expires_at > now;
  }

  /**
   * LNK-16: when the preview offered numbers, the approval must carry the one the computer shows. A
   * wrong pick ends the preview at once (with three choices, a second try would be a coin toss).
   */
  async checkNumber(session: LinkSessionRow, approver: Approver, picked: number | undefined): Promise<void> {
    if (session.match_number === null) return;
    if (picked === undefined) throw forbidden('number_required', 'Pick the number shown on the computer.');
    if (picked === session.match_number) return;
    const refused = { deviceName: session.name, ip: session.ip };
    await this.end(approver, session.id, MISMATCH_FOR_COMPUTER, session.match_number, refused).catch(
      (err: unknown) => {
        // Already ended by a concurrent pick: this one is refused all the same.
        if (!(err instanceof AppError && err.code === 'ref_unknown')) throw err;
      },
    );
    throw forbidden(
      'number_mismatch',
      'That is not the number on the computer, so nothing was linked. The computer now shows a new code.',
    );
  }

  /**
   * Ends a preview by `approver` (only while `matchNumber` is still the number to match, when given):
   * forgets the binding and the code and retires the refs in one transaction, then tells the
   * computer, whose channel starts over with a fresh QR. Throws `ref_unknown` when there was none.
   * `refused` records a security event: the phone picked a number the computer did not show.
   */
  async end(
    approver: Approver,
    linkId: string,
    error: ErrorPayload,
    matchNumber: number | null = null,
    refused?: { deviceName: string; ip: string },
  ): Promise<void> {
    const { repos, clock } = this.ctx;
    const ended = await inTransaction(this.ctx, async (trx, publish) => {
      if (!(await repos.links.endPreview(linkId, approver.device.id, matchNumber, trx))) return false;
      await repos.links.retireRefs(linkId, clock.now(), trx);
      if (refused) {
        const event = {
          accountId: approver.accountId,
          type: 'link_refused',
          reason: 'number_mismatch',
        } as const;
        await this.security.record(trx, { ...event, ...refused }, publish);
      }
      publish({ type: 'link.frame', linkId, frame: { type: 'link.error', error } });
      return true;
    });
    if (!ended) throw notPreviewed();
  }
}
