import { z } from 'zod';
import { fromBase64Url } from './encoding';
import { DeviceKind, Id, Signature } from './primitives';

/**
 * A device certificate: the account identity key (the phone's key) vouches that a device's MLS
 * signature key belongs to the account (DESIGN §8). Clients accept an MLS leaf only with one.
 */

/** An Ed25519 public key (the MLS signature key of suite 1): 32 bytes, base64url. */
export const MlsSignaturePublicKey = z
  .string()
  .length(43)
  .refine((s) => fromBase64Url(s)?.length === 32, 'Not an Ed25519 public key');

export const DeviceCertificate = z.strictObject({
  accountId: Id,
  deviceId: Id,
  kind: DeviceKind,
  /** Milliseconds since the Unix epoch, when the account key signed it. */
  issuedAt: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  mlsSignaturePublicKey: MlsSignaturePublicKey,
});
export type DeviceCertificate = z.infer<typeof DeviceCertificate>;

export const SignedDeviceCertificate = z.strictObject({
  certificate: DeviceCertificate,
  /** ECDSA P-256 / SHA-256 by the account identity key over {@link deviceCertificateMessage}. */
  signature: Signature,
});
export type SignedDeviceCertificate = z.infer<typeof SignedDeviceCertificate>;

/**
 * What the account identity key signs. Canonical: every field has a grammar without `:` (ids and
 * keys are base64url, the kind is an enum, the time a decimal integer), so one certificate has
 * exactly one message and no two certificates share one.
 */
export function deviceCertificateMessage(c: DeviceCertificate): string {
  return `latch/device-cert/v1:${c.accountId}:${c.deviceId}:${c.kind}:${c.issuedAt}:${c.mlsSignaturePublicKey}`;
}
