import {
  type DeviceCertificate,
  deviceCertificateMessage,
  fromBase64Url,
  SignedDeviceCertificate,
  toBase64Url,
} from '@latch/protocol';
import type { Credential } from 'ts-mls';

/**
 * Device certificates inside MLS credentials.
 *
 * The certificate travels as a *basic* credential whose identity is the UTF-8 text
 * `<deviceCertificateMessage>.<signature>`. RFC 9420 leaves the basic identity's meaning to the
 * application's authentication service, every MLS implementation carries it, and it needs no
 * custom credential type that every leaf would have to list in its capabilities (a custom type
 * would buy nothing: the bytes are checked by our own code either way). X.509 would drag in ASN.1
 * and a PKI for what is one signature by one key.
 */

/** Signs a UTF-8 message with the account identity key; returns base64url P1363 (r || s). */
export type AccountSigner = (message: string) => Promise<string>;

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const utf8 = new TextEncoder();

/** An {@link AccountSigner} over the phone's non-extractable WebCrypto key (see client's deviceKey). */
export function accountSignerFromKey(privateKey: CryptoKey): AccountSigner {
  return async (message) =>
    toBase64Url(new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, privateKey, utf8.encode(message))));
}

export async function issueDeviceCertificate(
  sign: AccountSigner,
  certificate: DeviceCertificate,
): Promise<SignedDeviceCertificate> {
  const parsed = SignedDeviceCertificate.shape.certificate.parse(certificate);
  return { certificate: parsed, signature: await sign(deviceCertificateMessage(parsed)) };
}

export function credentialFromCertificate(signed: SignedDeviceCertificate): Credential {
  const text = `${deviceCertificateMessage(signed.certificate)}.${signed.signature}`;
  return { credentialType: 'basic', identity: utf8.encode(text) };
}

const IDENTITY =
  /^latch\/device-cert\/v1:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+):([a-z]+):(0|[1-9][0-9]*):([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** Parses a credential's certificate; null for anything that is not exactly one canonical certificate. */
export function certificateFromCredential(credential: Credential): SignedDeviceCertificate | null {
  if (credential.credentialType !== 'basic') return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(credential.identity);
  } catch {
    return null;
  }
  const m = IDENTITY.exec(text);
  if (!m) return null;
  const parsed = SignedDeviceCertificate.safeParse({
    certificate: {
      accountId: m[1],
      deviceId: m[2],
      kind: m[3],
      issuedAt: Number(m[4]),
      mlsSignaturePublicKey: m[5],
    },
    signature: m[6],
  });
  if (!parsed.success) return null;
  // One certificate, one encoding: refuse anything that would not re-encode to the same bytes.
  const again = credentialFromCertificate(parsed.data);
  return again.credentialType === 'basic' && sameBytes(again.identity, credential.identity)
    ? parsed.data
    : null;
}

export async function verifyCertificateSignature(
  signed: SignedDeviceCertificate,
  accountPublicKey: string,
): Promise<boolean> {
  const raw = fromBase64Url(accountPublicKey);
  const signature = fromBase64Url(signed.signature);
  if (!raw || !signature) return false;
  try {
    const key = await crypto.subtle.importKey('raw', new Uint8Array(raw), ECDSA_P256, false, ['verify']);
    const message = utf8.encode(deviceCertificateMessage(signed.certificate));
    return await crypto.subtle.verify(ECDSA_SHA256, key, new Uint8Array(signature), message);
  } catch {
    return false;
  }
}

export type LeafVerdict =
  | { ok: true; certificate: DeviceCertificate }
  | { ok: false; reason: 'no_certificate' | 'unknown_account' | 'key_mismatch' | 'bad_signature' };

/**
 * Whether an MLS leaf (its credential and signature key) is a device of an account this client
 * knows: a canonical certificate, for exactly this signature key, signed by the account key the
 * client holds for that account (never one the server vouches for).
 */
export async function validateLeaf(
  credential: Credential,
  signaturePublicKey: Uint8Array,
  knownAccountKeys: ReadonlyMap<string, string>,
): Promise<LeafVerdict> {
  const signed = certificateFromCredential(credential);
  if (!signed) return { ok: false, reason: 'no_certificate' };
  const accountKey = knownAccountKeys.get(signed.certificate.accountId);
  if (accountKey === undefined) return { ok: false, reason: 'unknown_account' };
  if (signed.certificate.mlsSignaturePublicKey !== toBase64Url(signaturePublicKey)) {
    return { ok: false, reason: 'key_mismatch' };
  }
  if (!(await verifyCertificateSignature(signed, accountKey))) return { ok: false, reason: 'bad_signature' };
  return { ok: true, certificate: signed.certificate };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
