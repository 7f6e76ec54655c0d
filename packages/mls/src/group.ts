import type { DeviceCertificate } from '@latch/protocol';
import {
  type ClientState,
  createApplicationMessage,
  createCommit,
  createGroup,
  decodeGroupState,
  decodeMlsMessage,
  emptyPskIndex,
  encodeGroupState,
  encodeMlsMessage,
  type KeyPackage,
  type MLSMessage,
  type Proposal,
} from 'ts-mls';
import { certificateFromCredential } from './certificate';
import { type LatchMls, trackedConfig } from './context';
import { type DeviceMlsIdentity, makeKeyPackage } from './device';
import { MlsRefused, refuseOnError } from './errors';
import { pad } from './padding';
import { externalSendersExtension, hasOnlyServerAsExternalSender } from './trust';

/** One chat's MLS group as this device sees it. Immutable: every step returns the next state. */
export type GroupState = ClientState;

export interface GroupMember {
  leafIndex: number;
  certificate: DeviceCertificate;
}

/**
 * A commit this device made but has not yet applied. The delivery service accepts one commit per
 * epoch: adopt `next` only once the server accepted `commit`; if another commit won the epoch,
 * drop `next`, process the winner, and make the commit again on the new epoch.
 */
export interface PendingCommit {
  commit: Uint8Array;
  /** For the devices the commit adds (one Welcome for all of them), if any. */
  welcome?: Uint8Array;
  /** The epoch the commit closes (the server's check: it must be the group's current epoch). */
  epoch: bigint;
  next: GroupState;
}

export function groupIdForChat(chatId: string): Uint8Array {
  return new TextEncoder().encode(`latch/chat/v1:${chatId}`);
}

export function epochOf(state: GroupState): bigint {
  return state.groupContext.epoch;
}

/** Members by leaf; certificates were checked when each leaf entered this device's view of the tree. */
export function groupMembers(state: GroupState): GroupMember[] {
  const members: GroupMember[] = [];
  state.ratchetTree.forEach((node, nodeIndex) => {
    if (node?.nodeType !== 'leaf') return;
    const signed = certificateFromCredential(node.leaf.credential);
    if (signed) members.push({ leafIndex: nodeIndex / 2, certificate: signed.certificate });
  });
  return members;
}

export function hasPendingProposals(state: GroupState): boolean {
  return Object.keys(state.unappliedProposals).length > 0;
}

/**
 * The check that makes a state acceptable, run on every state that comes from outside (a Welcome,
 * someone else's commit): every leaf is a certified device of a known account, and the server is
 * the one and only external sender. ts-mls already asked the authentication service about each new
 * leaf; this also refuses the server's own credential anywhere but the external-sender slot.
 */
export async function assertTrustedGroup(mls: LatchMls, state: GroupState): Promise<void> {
  if (!hasOnlyServerAsExternalSender(state.groupContext.extensions, mls.serverKey)) {
    throw new MlsRefused('not_allowed', 'The group names another external sender than this server');
  }
  for (const node of state.ratchetTree) {
    if (node?.nodeType !== 'leaf') continue;
    const verdict = await mls.trust.check(node.leaf.credential, node.leaf.signaturePublicKey);
    if (!verdict.ok)
      throw new MlsRefused('untrusted_leaf', `A leaf is not a certified device (${verdict.reason})`);
  }
}

/** Starts a chat's group with this device as its only member; the server is its external sender. */
export async function createChatGroup(
  mls: LatchMls,
  identity: DeviceMlsIdentity,
  groupId: Uint8Array,
): Promise<GroupState> {
  const own = await makeKeyPackage(identity);
  return createGroup(
    groupId,
    own.keyPackage,
    own.privatePackage,
    [externalSendersExtension(mls.serverKey)],
    mls.impl,
    mls.config,
  );
}

export function decodeMessage(bytes: Uint8Array): MLSMessage {
  let decoded: ReturnType<typeof decodeMlsMessage>;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (err) {
    throw new MlsRefused('malformed', 'Not an MLS message', { cause: err });
  }
  if (!decoded || decoded[1] !== bytes.length) throw new MlsRefused('malformed', 'Not an MLS message');
  return decoded[0];
}

export function decodeKeyPackage(bytes: Uint8Array): KeyPackage {
  const message = decodeMessage(bytes);
  if (message.wireformat !== 'mls_key_package') throw new MlsRefused('malformed', 'Not a KeyPackage');
  return message.keyPackage;
}

/**
 * Adds devices from their KeyPackages (as the server handed them out). Each must carry a valid
 * certificate from an account this device knows: a package the server substituted is refused here,
 * before anything is committed.
 */
export async function addDevices(
  mls: LatchMls,
  state: GroupState,
  keyPackages: Uint8Array[],
): Promise<PendingCommit> {
  const proposals: Proposal[] = [];
  for (const bytes of keyPackages) {
    const keyPackage = decodeKeyPackage(bytes);
    const verdict = await mls.trust.check(
      keyPackage.leafNode.credential,
      keyPackage.leafNode.signaturePublicKey,
    );
    if (!verdict.ok)
      throw new MlsRefused('untrusted_leaf', `A KeyPackage is not a certified device (${verdict.reason})`);
    proposals.push({ proposalType: 'add', add: { keyPackage } });
  }
  return commit(mls, state, proposals);
}

/** Removes every leaf of the given devices (e.g. a computer that logged out). */
export async function removeDevices(
  mls: LatchMls,
  state: GroupState,
  deviceIds: string[],
): Promise<PendingCommit> {
  const gone = new Set(deviceIds);
  const proposals: Proposal[] = groupMembers(state)
    .filter((m) => gone.has(m.certificate.deviceId))
    .map((m) => ({ proposalType: 'remove', remove: { removed: m.leafIndex } }));
  return commit(mls, state, proposals);
}

/** Commits the proposals waiting in the group (e.g. the server's Remove after a logout). */
export function commitPending(mls: LatchMls, state: GroupState): Promise<PendingCommit> {
  return commit(mls, state, []);
}

async function commit(mls: LatchMls, state: GroupState, proposals: Proposal[]): Promise<PendingCommit> {
  if (state.groupActiveState.kind !== 'active') throw new MlsRefused('removed', 'Not a member of this group');
  const tracked = trackedConfig(mls);
  const result = await refuseOnError('rejected', 'Could not commit', () =>
    createCommit(
      { state: { ...state, clientConfig: tracked.config }, cipherSuite: mls.impl, pskIndex: emptyPskIndex },
      { extraProposals: proposals, ratchetTreeExtension: true },
    ),
  ).catch((err: unknown) => {
    throw tracked.refusedCredential()
      ? new MlsRefused('untrusted_leaf', 'A leaf is not a certified device')
      : err;
  });
  return {
    commit: encodeMlsMessage(result.commit),
    welcome: result.welcome
      ? encodeMlsMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome })
      : undefined,
    epoch: state.groupContext.epoch,
    next: { ...result.newState, clientConfig: mls.config },
  };
}

/**
 * Encrypts an application message, padded to its size bucket. Refuses while proposals wait: a
 * pending Remove must be committed first, or the message would still open on the removed device.
 * Store `next` before sending `message` (a reused ratchet key would repeat a nonce).
 */
export async function encryptMessage(
  mls: LatchMls,
  state: GroupState,
  plaintext: Uint8Array,
): Promise<{ message: Uint8Array; next: GroupState }> {
  if (state.groupActiveState.kind !== 'active') throw new MlsRefused('removed', 'Not a member of this group');
  if (hasPendingProposals(state))
    throw new MlsRefused('pending_proposals', 'Commit the waiting proposals first');
  const result = await createApplicationMessage(state, pad(plaintext), mls.impl);
  return {
    message: encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_private_message',
      privateMessage: result.privateMessage,
    }),
    next: result.newState,
  };
}

/** The whole private state (keys included): seal it before it touches storage (seal.ts). */
export function exportGroupState(state: GroupState): Uint8Array {
  return encodeGroupState(state);
}

export function importGroupState(mls: LatchMls, bytes: Uint8Array): GroupState {
  const decoded = decodeGroupState(bytes, 0);
  if (!decoded || decoded[1] !== bytes.length) throw new MlsRefused('malformed', 'Not a stored group state');
  return { ...decoded[0], clientConfig: mls.config };
}
