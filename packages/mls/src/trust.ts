import { toBase64Url } from '@latch/protocol';
import {
  type AuthenticationService,
  type Credential,
  decodeExternalSender,
  type Extension,
  encodeExternalSender,
} from 'ts-mls';
import { type LeafVerdict, sameBytes, validateLeaf } from './certificate';

/**
 * What a device trusts: the account identity key it holds for each contact (and for its own
 * account), and the server's external-sender key. Nothing here comes from the server's word about
 * which devices an account has; the server only ever gets to *propose removals*.
 */

/** The credential the Latch server signs its external proposals under. */
export const SERVER_CREDENTIAL: Credential = {
  credentialType: 'basic',
  identity: new TextEncoder().encode('latch/server/v1'),
};

/**
 * The group context extension that names the server as the only external sender (RFC 9420
 * §12.1.8.1). Note: ts-mls 1.x stores one ExternalSender per `external_senders` extension (not the
 * RFC's list) and indexes senders by extension position, so Latch groups carry exactly this one
 * extension, first and alone.
 */
export function externalSendersExtension(serverSignaturePublicKey: Uint8Array): Extension {
  return {
    extensionType: 'external_senders',
    extensionData: encodeExternalSender({
      signaturePublicKey: serverSignaturePublicKey,
      credential: SERVER_CREDENTIAL,
    }),
  };
}

/** True when a group context's extensions are exactly Latch's: the server as sole external sender. */
export function hasOnlyServerAsExternalSender(extensions: Extension[], serverKey: Uint8Array): boolean {
  if (extensions.length !== 1) return false;
  const [only] = extensions;
  if (only?.extensionType !== 'external_senders') return false;
  const decoded = decodeExternalSender(only.extensionData, 0);
  return (
    decoded !== undefined &&
    decoded[1] === only.extensionData.length &&
    sameBytes(decoded[0].signaturePublicKey, serverKey) &&
    isServerCredential(decoded[0].credential)
  );
}

const SERVER_IDENTITY = new TextEncoder().encode('latch/server/v1');

function isServerCredential(c: Credential): boolean {
  return c.credentialType === 'basic' && sameBytes(c.identity, SERVER_IDENTITY);
}

const CACHE_LIMIT = 4096;

export class TrustStore {
  private readonly accountKeys = new Map<string, string>();
  /** Positive verdicts, keyed by account key + credential + leaf key: a changed account key misses. */
  private readonly verified = new Map<string, LeafVerdict>();

  constructor(accounts: Iterable<readonly [accountId: string, accountPublicKey: string]> = []) {
    for (const [id, key] of accounts) this.accountKeys.set(id, key);
  }

  /** Records the account identity key this device knows for an account (base64url P-256 point). */
  trustAccount(accountId: string, accountPublicKey: string): void {
    this.accountKeys.set(accountId, accountPublicKey);
  }

  forgetAccount(accountId: string): void {
    this.accountKeys.delete(accountId);
  }

  async check(credential: Credential, signaturePublicKey: Uint8Array): Promise<LeafVerdict> {
    const accountKey = this.accountKeyFor(credential);
    const cacheKey =
      credential.credentialType === 'basic' && accountKey !== undefined
        ? `${accountKey}|${toBase64Url(credential.identity)}|${toBase64Url(signaturePublicKey)}`
        : undefined;
    const hit = cacheKey === undefined ? undefined : this.verified.get(cacheKey);
    if (hit) return hit;
    const verdict = await validateLeaf(credential, signaturePublicKey, this.accountKeys);
    if (verdict.ok && cacheKey !== undefined) {
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.set(cacheKey, verdict);
    }
    return verdict;
  }

  private accountKeyFor(credential: Credential): string | undefined {
    if (credential.credentialType !== 'basic') return undefined;
    const text = new TextDecoder().decode(credential.identity);
    const accountId = /^latch\/device-cert\/v1:([A-Za-z0-9_-]+):/.exec(text)?.[1];
    return accountId === undefined ? undefined : this.accountKeys.get(accountId);
  }
}

/**
 * The authentication service ts-mls calls for every credential it meets: leaves in a Welcome's
 * tree, Adds, Updates, commit paths, and the external-sender extension. It admits certified
 * devices and the server's own credential under the server's key; a group-level check
 * ({@link hasOnlyServerAsExternalSender} and the tree check in group.ts) then makes sure the
 * server's credential appears only as the external sender, never as a leaf.
 */
export function latchAuthenticationService(trust: TrustStore, serverKey: Uint8Array): AuthenticationService {
  return {
    async validateCredential(credential, signaturePublicKey) {
      if (isServerCredential(credential)) return sameBytes(signaturePublicKey, serverKey);
      return (await trust.check(credential, signaturePublicKey)).ok;
    },
  };
}
