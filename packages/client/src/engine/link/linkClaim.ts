import { claimMessage, LinkClaimResponse, LinkCode, linkMacMessage } from '@latch/protocol';
import { requestJsonWith } from '../../api';
import { type DeviceSigner, macKeyFrom, verifyMac } from '../../deviceKey';
import type { HttpTransport } from '../transport';

/** A linking code as the MAC uses it: 8 characters, uppercase, no dash. */
export function normalizeLinkCode(code: string): string | null {
  const parsed = LinkCode.safeParse(code);
  return parsed.success ? parsed.data : null;
}

/**
 * LNK-9: the approval is trusted only if its MAC was made with a secret that only this computer
 * showed: the link secret in its QR, or the linking code typed on the phone. (The approval's
 * signature is over the linkId, which the computer never learns; the server checks that one, LNK-7.)
 */
export async function approvalMacMatches(
  devicePublicKey: string,
  identityKey: string,
  mac: string,
  linkSecret: string,
  linkCode: string | null = null,
): Promise<boolean> {
  const message = linkMacMessage(devicePublicKey, identityKey);
  const keys = [macKeyFrom({ secret: linkSecret })];
  if (linkCode) keys.push(macKeyFrom({ code: linkCode }));
  for (const key of keys) {
    try {
      if (await verifyMac(key, message, mac)) return true;
    } catch {
      // A key or MAC WebCrypto refuses is simply not a match.
    }
  }
  return false;
}

/** Redeems the claim code with the QR key's signature (LNK-8); the answer sets the session cookie. */
export async function claimLinkedDevice(
  http: HttpTransport,
  origin: string,
  signer: DeviceSigner,
  claimCode: string,
): Promise<string> {
  const signature = await signer.sign(claimMessage(claimCode));
  const url = `${origin.replace(/\/$/, '')}/v1/link/claim`;
  const { deviceId } = await requestJsonWith(http, 'POST', url, LinkClaimResponse, { claimCode, signature });
  return deviceId;
}
