import { toBase64Url } from '@latch/protocol';
import { emptyPskIndex, joinGroup } from 'ts-mls';
import { type LatchMls, trackedConfig } from './context';
import type { LocalKeyPackage } from './device';
import { MlsRefused, refuseOnError } from './errors';
import { assertTrustedGroup, decodeMessage, type GroupState } from './group';

/**
 * Joins a group from a Welcome (how a newly linked computer enters each chat). The Welcome names
 * its new members by KeyPackageRef; the package used is reported so the device can delete its
 * private half (unless it is the last-resort one). Every leaf of the tree is checked: one device
 * without a valid certificate and the whole Welcome is refused.
 */
export async function joinFromWelcome(
  mls: LatchMls,
  welcomeBytes: Uint8Array,
  keyPackages: readonly LocalKeyPackage[],
): Promise<{ state: GroupState; keyPackageRef: string }> {
  const message = decodeMessage(welcomeBytes);
  if (message.wireformat !== 'mls_welcome') throw new MlsRefused('malformed', 'Not a Welcome');
  const named = new Set(message.welcome.secrets.map((s) => toBase64Url(s.newMember)));
  const mine = keyPackages.find((kp) => named.has(kp.ref));
  if (!mine) throw new MlsRefused('rejected', 'The Welcome is for none of this device’s KeyPackages');
  const tracked = trackedConfig(mls);
  const joined = await refuseOnError('rejected', 'Could not join', () =>
    joinGroup(
      message.welcome,
      mine.keyPackage,
      mine.privatePackage,
      emptyPskIndex,
      mls.impl,
      undefined,
      undefined,
      tracked.config,
    ),
  ).catch((err: unknown) => {
    throw tracked.refusedCredential()
      ? new MlsRefused('untrusted_leaf', 'A leaf is not a certified device')
      : err;
  });
  const state: GroupState = { ...joined, clientConfig: mls.config };
  await assertTrustedGroup(mls, state);
  return { state, keyPackageRef: mine.ref };
}
