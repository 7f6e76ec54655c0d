import { z } from 'zod';
import { AccountView } from './models';
import { Id, PhoneNumber, PublicKey, Random256, Signature, Timestamp, VerificationCode } from './primitives';

/** Which app a request comes from; each has its own cookie. */
export const ClientApp = z.enum(['web', 'phone']);
export type ClientApp = z.infer<typeof ClientApp>;

/** Cookie names. `__Host-` pins them to this origin, path /, Secure, no Domain. */
export const SESSION_COOKIE: Record<ClientApp, string> = {
  web: '__Host-latch-web',
  phone: '__Host-latch-phone',
};

export const ClientQuery = z.strictObject({ client: ClientApp });

/** POST /v1/register/code */
export const RegisterCodeRequest = z.strictObject({ phoneNumber: PhoneNumber });
export const RegisterCodeResponse = z.object({
  expiresInMs: z.number().int(),
  resendInMs: z.number().int(),
});
export type RegisterCodeResponse = z.infer<typeof RegisterCodeResponse>;

/** POST /v1/register/verify: proves the number and installs this phone as the primary device. */
export const RegisterVerifyRequest = z.strictObject({
  phoneNumber: PhoneNumber,
  code: VerificationCode,
  publicKey: PublicKey,
  /** Two-step PIN when the account has one. */
  pin: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});
export const RegisterVerifyResponse = z.object({
  account: AccountView,
  deviceId: Id,
  /** True when this number already had an account (its other devices were logged out). */
  existing: z.boolean(),
});
export type RegisterVerifyResponse = z.infer<typeof RegisterVerifyResponse>;

/** GET /v1/session?client=… */
export const SessionResponse = z.object({ account: AccountView, deviceId: Id });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** POST /v1/link/claim: exchanges a claim code, signed by the QR's key, for the session cookie. */
export const LinkClaimRequest = z.strictObject({ claimCode: Random256, signature: Signature });
export const LinkClaimResponse = z.object({ deviceId: Id });

/** POST /v1/logout/wiped: a logged-out browser reports that it wiped itself. */
export const WipedRequest = z.strictObject({ deviceId: Id, at: Timestamp, signature: Signature });

export const HealthResponse = z.object({ status: z.literal('ok'), version: z.string() });
