import {
  type DeviceKey,
  DeviceKeyStore,
  macKeyFrom,
  requestJson,
  signMessage,
  verifyMac,
} from '@latch/client';
import { claimMessage, LinkClaimResponse, LinkCode, linkMacMessage } from '@latch/protocol';
import { KEY_STORE_NAME, STORAGE_KEYS, writeStorage } from '../app/storageKeys';

/** The MAC key material of one attempt: the QR's link secret and, if one was issued, the linking code. */
export interface MacSecrets {
  linkSecret: string;
  linkCode: string | null;
}

/** A linking code as the MAC uses it: 8 characters, uppercase, no dash. */
export function normalizeLinkCode(code: string): string | null {
  const parsed = LinkCode.safeParse(code);
  return parsed.success ? parsed.data : null;
}

/**
 * LNK-9: the approval is trusted only if its MAC was made with a secret that only this page
 * showed (the QR's link secret, or the linking code typed on the phone). The approval also carries
 * the identity key's signature over approvalMessage(linkId, key), but this page never learns the
 * linkId, so it cannot check that signature; the server does (LNK-7).
 */
export async function checkApprovalMac(
  devicePublicKey: string,
  identityKey: string,
  mac: string,
  secrets: MacSecrets,
): Promise<boolean> {
  const message = linkMacMessage(devicePublicKey, identityKey);
  const keys = [macKeyFrom({ secret: secrets.linkSecret })];
  if (secrets.linkCode) keys.push(macKeyFrom({ code: secrets.linkCode }));
  for (const key of keys) {
    try {
      if (await verifyMac(key, message, mac)) return true;
    } catch {
      // A key or MAC WebCrypto refuses is simply not a match.
    }
  }
  return false;
}

/**
 * Redeems the claim code with the QR key's signature (LNK-8), which sets the session cookie, then
 * keeps the key: only a successful claim makes it this browser's device key.
 */
export async function claimDevice(key: DeviceKey, claimCode: string): Promise<string> {
  const signature = await signMessage(key, claimMessage(claimCode));
  const { deviceId } = await requestJson('POST', '/v1/link/claim', LinkClaimResponse, {
    claimCode,
    signature,
  });
  await new DeviceKeyStore(KEY_STORE_NAME).save(key);
  writeStorage(STORAGE_KEYS.deviceId, deviceId);
  return deviceId;
}
