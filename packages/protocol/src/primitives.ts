import { z } from 'zod';
import { fromBase64Url } from './encoding';
import { MAX_NAME_LENGTH } from './limits';

/** E.164: a plus sign and 8 to 15 digits, no leading zero. */
export const PhoneNumber = z
  .string()
  .regex(/^\+[1-9]\d{7,14}$/, 'Use the international format, e.g. +15551234567');
export type PhoneNumber = z.infer<typeof PhoneNumber>;

/** Normalises what a person types ("+1 (555) 123-4567") to E.164 candidates. */
export function normalizePhoneInput(input: string): string {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[^\d]/g, '');
  return trimmed.startsWith('00') ? `+${digits.slice(2)}` : `+${digits}`;
}

export const VerificationCode = z.string().regex(/^\d{6}$/, 'The code has 6 digits');

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(MAX_NAME_LENGTH, `At most ${MAX_NAME_LENGTH} characters`);

/** Opaque ids made by the server (base64url of 16 random bytes). */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{10,64}$/, 'Malformed id');

/** Base64url of a given byte length. */
function base64UrlBytes(length: number, label: string) {
  return z.string().refine((s) => fromBase64Url(s)?.length === length, `${label} must be ${length} bytes`);
}

/** A P-256 public key: the 65-byte uncompressed point (0x04 || X || Y), base64url. */
export const PublicKey = z
  .string()
  .length(87)
  .refine((s) => {
    const b = fromBase64Url(s);
    return b !== null && b.length === 65 && b[0] === 4;
  }, 'Not a P-256 public key');
export type PublicKey = z.infer<typeof PublicKey>;

/** An ECDSA P-256 / SHA-256 signature in IEEE P1363 form (r || s), as WebCrypto makes it. */
export const Signature = base64UrlBytes(64, 'Signature');
/** A 128-bit random value. */
export const Random128 = base64UrlBytes(16, 'Value');
/** A 256-bit random value (nonces, claim codes). */
export const Random256 = base64UrlBytes(32, 'Value');
/** HMAC-SHA-256 output. */
export const Mac = base64UrlBytes(32, 'MAC');

/** Phone-number linking code: 8 characters from an unambiguous alphabet, shown as XXXX-XXXX. */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const LinkCode = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[A-HJ-NP-Z2-9]{8}$/, 'The linking code has 8 letters and digits'));

export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}`;
}

/**
 * Number matching (LNK-16): the 2-digit number a computer on another network shows, which the
 * phone must pick from three choices before it may approve.
 */
export const MatchNumber = z.number().int().min(10).max(99);

/** Two-step verification PIN: 6 digits. */
export const Pin = z.string().regex(/^\d{6}$/, 'The PIN has 6 digits');

/** PINs anyone would guess first; refused when setting a PIN. */
export function isTrivialPin(pin: string): boolean {
  if (/^(\d)\1{5}$/.test(pin)) return true;
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return true;
  return ['121212', '112233', '123123', '101010', '696969', '654321', '123321', '111222'].includes(pin);
}

export const Email = z.string().trim().toLowerCase().email('Enter a valid email address').max(254);

export const DeviceKind = z.enum(['primary', 'companion']);
export type DeviceKind = z.infer<typeof DeviceKind>;

/** Why a device stopped being linked. */
export const LogoutReason = z.enum([
  'self',
  'phone',
  'inactive',
  'reregistered',
  'admin',
  'replayed',
  /** The session reached its absolute lifetime (SESSION_MAX_AGE_DAYS). */
  'expired',
]);
export type LogoutReason = z.infer<typeof LogoutReason>;

/** Milliseconds since the Unix epoch. */
export const Timestamp = z.number().int().nonnegative();
