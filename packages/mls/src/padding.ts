/**
 * Length hiding for application messages. The server sees ciphertext sizes; padding every message
 * up to a bucket means it learns only "short", "a paragraph", "a page"… Padding is ISO/IEC 7816-4
 * style (content, one 0x80 byte, zeros), applied to the plaintext before MLS encrypts it, so
 * removing it needs no length field and a padded message cannot be confused with another.
 */
const LARGEST_BUCKET = 65_536;
export const PADDING_BUCKETS = [256, 1024, 4096, 16_384, LARGEST_BUCKET] as const;

/** Largest plaintext one message can carry (the top bucket minus the 0x80 marker). */
export const MAX_PLAINTEXT_BYTES = LARGEST_BUCKET - 1;

export function bucketFor(plaintextLength: number): number {
  const bucket = PADDING_BUCKETS.find((b) => plaintextLength + 1 <= b);
  if (bucket === undefined) throw new RangeError(`A message holds at most ${MAX_PLAINTEXT_BYTES} bytes`);
  return bucket;
}

export function pad(plaintext: Uint8Array): Uint8Array {
  const out = new Uint8Array(bucketFor(plaintext.length));
  out.set(plaintext);
  out[plaintext.length] = 0x80;
  return out;
}

/** Removes the padding; null when the bytes are not a padded message of a bucket's size. */
export function unpad(padded: Uint8Array): Uint8Array | null {
  if (!(PADDING_BUCKETS as readonly number[]).includes(padded.length)) return null;
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80) return null;
  return padded.slice(0, end);
}
