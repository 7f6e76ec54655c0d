import {
  type CiphersuiteImpl,
  type ClientConfig,
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  defaultPaddingConfig,
} from 'ts-mls';
import { latchCiphersuite } from './ciphersuite';
import { latchAuthenticationService, type TrustStore } from './trust';

/** Everything a device needs to act in its groups: the suite, whom it trusts, the server's key. */
export interface LatchMls {
  impl: CiphersuiteImpl;
  trust: TrustStore;
  /** The server's Ed25519 external-sender key (configured per server, not learned from a group). */
  serverKey: Uint8Array;
  config: ClientConfig;
}

export async function createLatchMls(
  trust: TrustStore,
  serverSignaturePublicKey: Uint8Array,
): Promise<LatchMls> {
  return {
    impl: await latchCiphersuite(),
    trust,
    serverKey: serverSignaturePublicKey,
    config: clientConfig(latchAuthenticationService(trust, serverSignaturePublicKey)),
  };
}

function clientConfig(authService: ClientConfig['authService']): ClientConfig {
  return {
    // Keys of the last 4 epochs stay, so a message sent just before a commit still opens after it.
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    // Handshake messages pad to 256 bytes; application messages are padded to buckets first (padding.ts).
    paddingConfig: defaultPaddingConfig,
    authService,
  };
}

/**
 * A config for one operation that remembers whether the authentication service refused a
 * credential, so a failure inside ts-mls can be reported as `untrusted_leaf` rather than a guess
 * from its error text.
 */
export function trackedConfig(mls: LatchMls): { config: ClientConfig; refusedCredential: () => boolean } {
  let refused = false;
  const config = clientConfig({
    async validateCredential(credential, key) {
      const ok = await mls.config.authService.validateCredential(credential, key);
      if (!ok) refused = true;
      return ok;
    },
  });
  return { config, refusedCredential: () => refused };
}
