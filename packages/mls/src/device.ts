import { type SignedDeviceCertificate, toBase64Url } from '@latch/protocol';
import {
  type Credential,
  defaultCapabilities,
  defaultLifetime,
  encodeMlsMessage,
  generateKeyPackageWithKey,
  type KeyPackage,
  type PrivateKeyPackage,
} from 'ts-mls';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { credentialFromCertificate } from './certificate';
import { LATCH_CIPHERSUITE, latchCiphersuite } from './ciphersuite';

/**
 * A device's MLS identity: one Ed25519 signature key pair for all its groups, and the certificate
 * by which the account identity key vouches for it.
 */
export interface MlsSignatureKeyPair {
  publicKey: Uint8Array;
  /** ts-mls needs the private key as bytes; it lives only inside sealed state (see seal.ts). */
  privateKey: Uint8Array;
}

export interface DeviceMlsIdentity {
  certificate: SignedDeviceCertificate;
  credential: Credential;
  keyPair: MlsSignatureKeyPair;
}

/** Made on the device; the public half goes to the phone to be certified. */
export async function generateMlsSignatureKeyPair(): Promise<MlsSignatureKeyPair> {
  const { publicKey, signKey } = await (await latchCiphersuite()).signature.keygen();
  return { publicKey, privateKey: signKey };
}

/** Binds a certificate (from the phone) to the key pair it certifies; refuses one for another key. */
export function deviceIdentity(
  keyPair: MlsSignatureKeyPair,
  certificate: SignedDeviceCertificate,
): DeviceMlsIdentity {
  if (certificate.certificate.mlsSignaturePublicKey !== toBase64Url(keyPair.publicKey)) {
    throw new Error('The certificate is for another MLS signature key');
  }
  return { certificate, credential: credentialFromCertificate(certificate), keyPair };
}

/**
 * The last_resort KeyPackage extension (draft-ietf-mls-extensions, type 0x000A): a KeyPackage the
 * server may hand out more than once when a device's one-time packages run out.
 */
export const LAST_RESORT_EXTENSION_TYPE = 0x000a;

export interface LocalKeyPackage {
  keyPackage: KeyPackage;
  /** Private halves: kept on the device (sealed) until the package is used or rotated. */
  privatePackage: PrivateKeyPackage;
  /** KeyPackageRef (RFC 9420 §5.2), base64url: what a Welcome names its new members by. */
  ref: string;
  lastResort: boolean;
  /** The MLSMessage bytes to upload to the server. */
  encoded: Uint8Array;
}

export async function makeKeyPackage(
  identity: DeviceMlsIdentity,
  options: { lastResort?: boolean } = {},
): Promise<LocalKeyPackage> {
  const impl = await latchCiphersuite();
  const lastResort = options.lastResort ?? false;
  const capabilities = defaultCapabilities();
  capabilities.ciphersuites = [LATCH_CIPHERSUITE];
  if (lastResort) capabilities.extensions = [...capabilities.extensions, LAST_RESORT_EXTENSION_TYPE];
  const extensions = lastResort
    ? [{ extensionType: LAST_RESORT_EXTENSION_TYPE, extensionData: new Uint8Array() }]
    : [];
  const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
    identity.credential,
    capabilities,
    defaultLifetime,
    extensions,
    { signKey: identity.keyPair.privateKey, publicKey: identity.keyPair.publicKey },
    impl,
  );
  return {
    keyPackage: publicPackage,
    privatePackage,
    ref: toBase64Url(await makeKeyPackageRef(publicPackage, impl.hash)),
    lastResort,
    encoded: encodeMlsMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: publicPackage }),
  };
}
