import { createECDH, createHmac, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { DeviceSigner } from '@latch/client';
import { fromBase64Url, toBase64Url } from '@latch/protocol';

/**
 * A device's P-256 signing key for the load generator. Unlike a browser's key it is extractable, so the
 * seed file can hand it from the seeding step to the measuring step; the server cannot tell the difference.
 */
export class BenchKey implements DeviceSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    /** The 65-byte uncompressed point, base64url: the form the protocol carries. */
    readonly publicKey: string,
  ) {}

  /**
   * A fresh key, made with ECDH rather than `generateKeyPairSync`. With a key-generation job, Node 20
   * could deadlock: exporting the new key holds the key's mutex while V8 allocates, a GC there
   * finalizes the (finished) job, and the job's destructor waits for that same mutex. The seeding
   * hung so, at 0 % CPU, after a few thousand keys (seen with gdb: `ExportJWK` → GC →
   * `~KeyGenJob` → `uv_mutex_lock`).
   */
  static generate(): BenchKey {
    const ecdh = createECDH('prime256v1');
    const point = ecdh.generateKeys();
    const d = Buffer.alloc(32);
    const scalar = ecdh.getPrivateKey();
    scalar.copy(d, 32 - scalar.length);
    const privateKey = createPrivateKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        d: d.toString('base64url'),
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
    return new BenchKey(privateKey, toBase64Url(point));
  }

  /** Restores a key written by {@link toPkcs8}. */
  static fromPkcs8(pkcs8: string): BenchKey {
    return BenchKey.fromKeyObject(
      createPrivateKey({ key: Buffer.from(pkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
    );
  }

  private static fromKeyObject(privateKey: KeyObject): BenchKey {
    const jwk = privateKey.export({ format: 'jwk' });
    const x = fromBase64Url(jwk.x ?? '');
    const y = fromBase64Url(jwk.y ?? '');
    if (!x || !y || x.length !== 32 || y.length !== 32) throw new Error('Not a P-256 key');
    const point = new Uint8Array(65);
    point[0] = 4;
    point.set(x, 1);
    point.set(y, 33);
    return new BenchKey(privateKey, toBase64Url(point));
  }

  toPkcs8(): string {
    return this.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  }

  /** The engine's signer view of this key (ENG-14): the same signature, as a promise. */
  sign(message: string): Promise<string> {
    return Promise.resolve(this.signNow(message));
  }

  /** ECDSA P-256 / SHA-256 in IEEE P1363 form (r || s), as WebCrypto signs; synchronous for seeding. */
  signNow(message: string): string {
    return toBase64Url(
      sign('sha256', Buffer.from(message), { key: this.privateKey, dsaEncoding: 'ieee-p1363' }),
    );
  }
}

/** HMAC-SHA-256 as base64url: the link MAC the phone makes with the QR's link secret. */
export function hmacBase64Url(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}
