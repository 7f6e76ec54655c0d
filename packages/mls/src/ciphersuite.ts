import { type CiphersuiteImpl, getCiphersuiteFromName, getCiphersuiteImpl } from 'ts-mls';

/**
 * The one MLS cipher suite Latch speaks (RFC 9420 id 1): X25519 for HPKE, AES-128-GCM, SHA-256,
 * Ed25519 signatures. ts-mls runs it on WebCrypto (Node 20, current browsers).
 */
export const LATCH_CIPHERSUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519';
export const LATCH_CIPHERSUITE_ID = 1;

let cached: Promise<CiphersuiteImpl> | undefined;

/** The suite's implementation, made once per page or process. */
export function latchCiphersuite(): Promise<CiphersuiteImpl> {
  cached ??= getCiphersuiteImpl(getCiphersuiteFromName(LATCH_CIPHERSUITE));
  return cached;
}
