import { fromBase64Url, toBase64Url } from '@latch/protocol';

/**
 * The device's signing key. Made here with WebCrypto as non-extractable, kept in IndexedDB as a
 * CryptoKey object: script can sign with it but nobody, not even this page, can read its bytes.
 */
export interface DeviceKey {
  privateKey: CryptoKey;
  /** base64url of the uncompressed P-256 point: what the server stores. */
  publicKey: string;
}

/**
 * What the engine needs of a device key: its public half and a way to sign. A browser's
 * {@link DeviceKey} (see {@link deviceSigner}), a Node key made with the same WebCrypto calls, or
 * a test's key all fit; the private key never has to leave the object that holds it.
 */
export interface DeviceSigner {
  /** base64url of the uncompressed P-256 point. */
  readonly publicKey: string;
  /** P1363 ECDSA P-256 / SHA-256 signature over the UTF-8 message, base64url. */
  sign(message: string): Promise<string>;
}

/** The signer of a WebCrypto device key (works in browsers and in Node 20, whose `crypto` is WebCrypto). */
export function deviceSigner(key: DeviceKey): DeviceSigner {
  return { publicKey: key.publicKey, sign: (message) => signMessage(key, message) };
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const STORE = 'keys';
const KEY_ID = 'device';

export async function generateDeviceKey(): Promise<DeviceKey> {
  const pair = await crypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKey: toBase64Url(raw) };
}

/** Signs a UTF-8 message; the result is P1363 (r || s), base64url. */
export async function signMessage(key: DeviceKey, message: string): Promise<string> {
  const sig = await crypto.subtle.sign(SIGN, key.privateKey, new TextEncoder().encode(message));
  return toBase64Url(new Uint8Array(sig));
}

function bytes(b64: string): Uint8Array<ArrayBuffer> {
  const out = fromBase64Url(b64);
  if (!out) throw new Error('Malformed base64url');
  return new Uint8Array(out);
}

/** Verifies another key's signature (e.g. the account identity key's approval). */
export async function verifySignature(
  publicKey: string,
  message: string,
  signature: string,
): Promise<boolean> {
  const key = await crypto.subtle.importKey('raw', bytes(publicKey), ALGORITHM, false, ['verify']);
  return crypto.subtle.verify(SIGN, key, bytes(signature), new TextEncoder().encode(message));
}

async function hmacKey(secret: Uint8Array<ArrayBuffer>, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** The link MAC's key: the QR's link secret, or the UTF-8 of a phone-number linking code. */
export function macKeyFrom(secretOrCode: { secret: string } | { code: string }): Uint8Array<ArrayBuffer> {
  return 'secret' in secretOrCode ? bytes(secretOrCode.secret) : new TextEncoder().encode(secretOrCode.code);
}

export async function computeMac(key: Uint8Array<ArrayBuffer>, message: string): Promise<string> {
  const k = await hmacKey(key, 'sign');
  return toBase64Url(new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(message))));
}

export async function verifyMac(
  key: Uint8Array<ArrayBuffer>,
  message: string,
  mac: string,
): Promise<boolean> {
  const k = await hmacKey(key, 'verify');
  return crypto.subtle.verify('HMAC', k, bytes(mac), new TextEncoder().encode(message));
}

export function randomBase64Url(byteLength: number): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

// ---- persistence ---------------------------------------------------------------------------

function openDb(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function run<T>(
  db: IDBDatabase,
  mode: IDBTransactionMode,
  op: (s: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = op(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** A key store per app ("latch-web", "latch-phone"), so the two apps never share a key. */
export class DeviceKeyStore {
  constructor(private readonly dbName: string) {}

  async load(): Promise<DeviceKey | null> {
    const db = await openDb(this.dbName);
    try {
      const value: unknown = await run(db, 'readonly', (s) => s.get(KEY_ID));
      // Parse what comes back from storage rather than trusting it.
      if (
        typeof value === 'object' &&
        value !== null &&
        'privateKey' in value &&
        value.privateKey instanceof CryptoKey &&
        'publicKey' in value &&
        typeof value.publicKey === 'string'
      ) {
        return { privateKey: value.privateKey, publicKey: value.publicKey };
      }
      return null;
    } finally {
      db.close();
    }
  }

  async save(key: DeviceKey): Promise<void> {
    const db = await openDb(this.dbName);
    try {
      await run(db, 'readwrite', (s) =>
        s.put({ privateKey: key.privateKey, publicKey: key.publicKey }, KEY_ID),
      );
    } finally {
      db.close();
    }
  }

  /** Loads the key, or makes and saves a new one. */
  async loadOrCreate(): Promise<DeviceKey> {
    const existing = await this.load();
    if (existing) return existing;
    const key = await generateDeviceKey();
    await this.save(key);
    return key;
  }

  async delete(): Promise<void> {
    const db = await openDb(this.dbName);
    try {
      await run(db, 'readwrite', (s) => s.delete(KEY_ID));
    } finally {
      db.close();
    }
  }
}
