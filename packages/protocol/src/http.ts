import { z } from 'zod';
import { AccountView } from './models';
import {
  Id,
  PhoneNumber,
  Pin,
  PublicKey,
  Random256,
  Signature,
  Timestamp,
  VerificationCode,
} from './primitives';

/** Which app a request comes from; each has its own cookie. */
export const ClientApp = z.enum(['web', 'phone']);
export type ClientApp = z.infer<typeof ClientApp>;

/** Cookie names. `__Host-` pins them to this origin, path /, Secure, no Domain. */
export const SESSION_COOKIE: Record<ClientApp, string> = {
  web: '__Host-latch-web',
  phone: '__Host-latch-phone',
};

export const ClientQuery = z.strictObject({ client: ClientApp });

/**
 * Sent by the apps' own fetch wrapper on every request (SEC-3). A page on another site cannot send
 * it: `<img>`, forms and navigations carry no custom headers, and a cross-origin fetch that tries
 * is stopped by the CORS preflight Latch never answers. The server clears the browser's data, and
 * logs a browser out, only for requests that carry it.
 */
export const APP_REQUEST_HEADER = 'x-latch-client';
export const APP_REQUEST_HEADER_VALUE = 'app';

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
  pin: Pin.optional(),
  /** Forgot the PIN and has no recovery email: start (or finish) the 7-day wait instead. */
  forgotPin: z.boolean().optional(),
});
export const RegisterVerifyResponse = z.object({
  account: AccountView,
  deviceId: Id,
  /** True when this number already had an account (its other devices were logged out). */
  existing: z.boolean(),
});
export type RegisterVerifyResponse = z.infer<typeof RegisterVerifyResponse>;

/**
 * GET /v1/session?client=…: only whether the cookie names a live session (SEC-4). Account data
 * travels on the authenticated socket (`ready`), where the device has proved it holds its key.
 */
export const SessionResponse = z.object({ deviceId: Id });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** POST /v1/link/claim: exchanges a claim code, signed by the QR's key, for the session cookie. */
export const LinkClaimRequest = z.strictObject({ claimCode: Random256, signature: Signature });
export const LinkClaimResponse = z.object({ deviceId: Id });

/** POST /v1/logout/wiped: a logged-out browser reports that it wiped itself. */
export const WipedRequest = z.strictObject({ deviceId: Id, at: Timestamp, signature: Signature });

export const HealthResponse = z.object({ status: z.literal('ok'), version: z.string() });

/** POST /v1/pin/reset/request: emails a reset link to the account's recovery address, if it has one. */
export const PinResetRequest = z.strictObject({ phoneNumber: PhoneNumber });
/** POST /v1/pin/reset: the link's token turns two-step verification off so the number can be registered. */
export const PinResetConfirm = z.strictObject({ token: Random256 });

/** GET /v1/client-config: what the apps need before sign-in. */
export const ClientConfigResponse = z.object({
  /** Oldest supported major version per browser family (lowercase bowser names). */
  minBrowserVersions: z.record(z.string(), z.number().int().positive()),
  /** Current major version per browser family, for the "Update your browser" banner. */
  currentBrowserVersions: z.record(z.string(), z.number().int().positive()),
});
export type ClientConfigResponse = z.infer<typeof ClientConfigResponse>;
