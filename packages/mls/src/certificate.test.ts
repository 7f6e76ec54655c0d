import { deviceCertificateMessage, toBase64Url } from '@latch/protocol';
import type { Credential } from 'ts-mls';
import { describe, expect, it } from 'vitest';
import {
  certificateFromCredential,
  credentialFromCertificate,
  issueDeviceCertificate,
  validateLeaf,
} from './certificate';
import { generateMlsSignatureKeyPair } from './device';
import { makeAccount, randomId } from './testing/simulatedDevice';

async function setup() {
  const account = await makeAccount();
  const keyPair = await generateMlsSignatureKeyPair();
  const signed = await issueDeviceCertificate(account.sign, {
    accountId: account.accountId,
    deviceId: randomId(),
    kind: 'companion',
    issuedAt: 1_750_000_000_123,
    mlsSignaturePublicKey: toBase64Url(keyPair.publicKey),
  });
  const known = new Map([[account.accountId, account.publicKey]]);
  return { account, keyPair, signed, known, credential: credentialFromCertificate(signed) };
}

function basic(text: string): Credential {
  return { credentialType: 'basic', identity: new TextEncoder().encode(text) };
}

describe('device certificates', () => {
  it('E2E-2 the account key signs a canonical latch/device-cert/v1 message carried in a basic credential', async () => {
    const { signed, credential, keyPair } = await setup();
    const c = signed.certificate;
    expect(deviceCertificateMessage(c)).toBe(
      `latch/device-cert/v1:${c.accountId}:${c.deviceId}:companion:1750000000123:${toBase64Url(keyPair.publicKey)}`,
    );
    expect(credential.credentialType).toBe('basic');
    expect(certificateFromCredential(credential)).toEqual(signed);
  });

  it('E2E-2 a leaf is valid only with a certificate for its own key, signed by the account key the client knows', async () => {
    const { signed, credential, keyPair, known, account } = await setup();
    expect(await validateLeaf(credential, keyPair.publicKey, known)).toEqual({
      ok: true,
      certificate: signed.certificate,
    });

    expect(await validateLeaf(credential, keyPair.publicKey, new Map())).toEqual({
      ok: false,
      reason: 'unknown_account',
    });
    const otherKey = await generateMlsSignatureKeyPair();
    expect(await validateLeaf(credential, otherKey.publicKey, known)).toEqual({
      ok: false,
      reason: 'key_mismatch',
    });

    // The same certificate, signed by a key that is not the account's (what a server could make).
    const impostor = await makeAccount();
    const forged = credentialFromCertificate(await issueDeviceCertificate(impostor.sign, signed.certificate));
    expect(await validateLeaf(forged, keyPair.publicKey, known)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    // The client holds a different key for this account (e.g. the server swapped it): refused too.
    const swapped = new Map([[account.accountId, impostor.publicKey]]);
    expect(await validateLeaf(credential, keyPair.publicKey, swapped)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });

    // One changed field (the device kind) and the signature no longer covers it.
    const text = new TextDecoder().decode(
      credential.credentialType === 'basic' ? credential.identity : new Uint8Array(),
    );
    const promoted = basic(text.replace(':companion:', ':primary:'));
    expect(await validateLeaf(promoted, keyPair.publicKey, known)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('E2E-2 anything but exactly one canonical certificate is no certificate', async () => {
    const { credential, keyPair, known } = await setup();
    const text = new TextDecoder().decode(
      credential.credentialType === 'basic' ? credential.identity : new Uint8Array(),
    );
    const variants = [
      basic('alice'),
      basic(`${text} `),
      basic(text.replace(':1750000000123:', ':01750000000123:')),
      basic(text.replace('latch/device-cert/v1', 'latch/device-cert/v2')),
      basic(text.replace(':companion:', ':server:')),
      { credentialType: 'basic', identity: new Uint8Array([0xff, 0xfe]) } satisfies Credential,
      { credentialType: 'x509', certificates: [new Uint8Array(8)] } satisfies Credential,
    ];
    for (const v of variants) {
      expect(certificateFromCredential(v)).toBeNull();
      expect(await validateLeaf(v, keyPair.publicKey, known)).toEqual({
        ok: false,
        reason: 'no_certificate',
      });
    }
  });
});
