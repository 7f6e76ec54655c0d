import { z } from 'zod';

/** Stable error ids. Clients switch on these; messages are for people. */
export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'code_invalid',
  'code_expired',
  'sms_failed',
  'not_primary',
  'signature_invalid',
  'ref_unknown',
  'ref_expired',
  'ref_used',
  'origin_mismatch',
  'number_required',
  'number_mismatch',
  'device_limit',
  'claim_invalid',
  'pin_required',
  'pin_invalid',
  'pin_locked',
  'not_registered',
  'not_member',
  'chat_not_found',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    /** For rate_limited / pin_locked: how long until trying again is useful. */
    retryAfterMs: z.number().int().nonnegative().optional(),
    /** Extra, code-specific details (e.g. the devices to remove for device_limit). */
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
export type ErrorPayload = ErrorBody['error'];

/** WebSocket close codes used by Latch (4000-4999 are the application's range). */
export const CloseCode = {
  /** Normal close by the client. */
  normal: 1000,
  /** Server shutting down; reconnect elsewhere. */
  goingAway: 1001,
  /** A frame failed validation. The reason says which. */
  badFrame: 4400,
  /** No valid session cookie, or the proof-of-possession failed. */
  unauthorized: 4401,
  /** The device was logged out. The client must wipe itself. */
  loggedOut: 4403,
  /** The client did not authenticate in time. */
  authTimeout: 4408,
  /** The link attempt ended: all QR refs used up. */
  linkExpired: 4410,
  /** The link channel finished: the device was linked. */
  linkDone: 4411,
  /** Too many frames. */
  rateLimited: 4429,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
