/**
 * Keys at rest (DESIGN §8): MLS state is stored sealed with AES-256-GCM under a WebCrypto key made
 * non-extractable, kept in IndexedDB as a CryptoKey object. Script can seal and unseal with it while
 * the page runs; nobody can copy the key's bytes out, and the wipe deletes it with the rest.
 */
const VERSION = 1;
const IV_BYTES = 12;
const AES_GCM = { name: 'AES-GCM', length: 256 } as const;

export function generateSealingKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey(AES_GCM, false, ['encrypt', 'decrypt']);
}

/**
 * `context` (e.g. `latch/mls-state/v1:<group id>`) is bound as additional data, so a sealed state
 * stored under one name cannot be swapped in for another's.
 */
export async function seal(key: CryptoKey, plaintext: Uint8Array, context: string): Promise<Uint8Array> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(context) },
    key,
    new Uint8Array(plaintext),
  );
  const out = new Uint8Array(1 + IV_BYTES + ciphertext.byteLength);
  out[0] = VERSION;
  out.set(iv, 1);
  out.set(new Uint8Array(ciphertext), 1 + IV_BYTES);
  return out;
}

/** Throws when the box was changed, sealed under another key, or for another context. */
export async function unseal(key: CryptoKey, sealed: Uint8Array, context: string): Promise<Uint8Array> {
  if (sealed.length < 1 + IV_BYTES + 16 || sealed[0] !== VERSION) throw new Error('Not a sealed Latch state');
  const plaintext = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.slice(1, 1 + IV_BYTES), additionalData: new TextEncoder().encode(context) },
    key,
    sealed.slice(1 + IV_BYTES),
  );
  return new Uint8Array(plaintext);
}
