import {
  type IncomingMessageCallback,
  type MLSMessage,
  makePskIndex,
  type PrivateMessage,
  type ProposalWithSender,
  processPrivateMessage,
  processPublicMessage,
} from 'ts-mls';
import { decryptSenderData } from 'ts-mls/privateMessage.js';
import { certificateFromCredential, sameBytes } from './certificate';
import { type LatchMls, trackedConfig } from './context';
import { MlsRefused, refuseOnError } from './errors';
import { assertTrustedGroup, decodeMessage, type GroupMember, type GroupState } from './group';
import { unpad } from './padding';

export type Incoming =
  | { kind: 'application'; plaintext: Uint8Array; sender: GroupMember; next: GroupState }
  | { kind: 'commit'; next: GroupState; removedSelf: boolean }
  | { kind: 'proposal'; next: GroupState };

/** Proposal types a Latch commit may carry: membership changes and key updates, nothing else. */
const COMMITTABLE = new Set<unknown>(['add', 'remove', 'update']);

/**
 * Processes one handshake or application message from the group's ordered stream. Returns the
 * next state; throws {@link MlsRefused} and leaves the caller's state as it was when the message
 * is refused (a bad signature, a leaf without a valid certificate, anything Latch never sends).
 *
 * Latch policy on top of MLS: stand-alone proposals are Removes only (the server proposing a
 * logged-out device's removal, naming that device in the proposal's authenticated data); devices
 * enter only by a member's commit and a Welcome, never by an external join or external Add.
 */
export async function processIncoming(
  mls: LatchMls,
  state: GroupState,
  bytes: Uint8Array,
): Promise<Incoming> {
  const message = decodeMessage(bytes);
  if (state.groupActiveState.kind === 'removedFromGroup') {
    throw new MlsRefused('removed', 'This device was removed from the group');
  }
  if (message.wireformat === 'mls_private_message') return processPrivate(mls, state, message.privateMessage);
  if (message.wireformat === 'mls_public_message') return processPublic(mls, state, message);
  throw new MlsRefused('malformed', `A ${message.wireformat} is not a group message`);
}

async function processPrivate(mls: LatchMls, state: GroupState, pm: PrivateMessage): Promise<Incoming> {
  if (!sameBytes(pm.groupId, state.groupContext.groupId))
    throw new MlsRefused('wrong_group', 'Another group');
  const policy = latchPolicy(state, undefined);
  const tracked = trackedConfig(mls);
  const result = await run(tracked, () =>
    processPrivateMessage(
      { ...state, clientConfig: tracked.config },
      pm,
      makePskIndex(state, {}),
      mls.impl,
      policy.callback,
    ),
  );
  const next: GroupState = { ...result.newState, clientConfig: mls.config };
  if (result.kind === 'applicationMessage') {
    const plaintext = unpad(result.message);
    if (!plaintext) throw new MlsRefused('malformed', 'The message is not padded as Latch pads');
    return { kind: 'application', plaintext, sender: await senderOf(mls, state, pm), next };
  }
  return finish(mls, policy, result.actionTaken, pm.contentType, next);
}

async function processPublic(
  mls: LatchMls,
  state: GroupState,
  message: MLSMessage & { wireformat: 'mls_public_message' },
): Promise<Incoming> {
  const pm = message.publicMessage;
  if (!sameBytes(pm.content.groupId, state.groupContext.groupId))
    throw new MlsRefused('wrong_group', 'Another group');
  const sender = pm.content.sender.senderType;
  if (sender === 'new_member_commit' || sender === 'new_member_proposal') {
    throw new MlsRefused('not_allowed', 'Devices join only from a Welcome, never by an external join or Add');
  }
  const policy = latchPolicy(state, sender === 'external' ? pm.content.authenticatedData : undefined);
  const tracked = trackedConfig(mls);
  const result = await run(tracked, () =>
    processPublicMessage(
      { ...state, clientConfig: tracked.config },
      pm,
      makePskIndex(state, {}),
      mls.impl,
      policy.callback,
    ),
  );
  const next: GroupState = { ...result.newState, clientConfig: mls.config };
  return finish(mls, policy, result.actionTaken, pm.content.contentType, next);
}

async function finish(
  mls: LatchMls,
  policy: Policy,
  action: 'accept' | 'reject',
  contentType: string,
  next: GroupState,
): Promise<Incoming> {
  const violation = policy.violation();
  if (violation !== undefined || action === 'reject') {
    throw new MlsRefused('not_allowed', violation ?? 'Refused by policy');
  }
  if (contentType === 'proposal') return { kind: 'proposal', next };
  const removedSelf = next.groupActiveState.kind === 'removedFromGroup';
  if (!removedSelf) await assertTrustedGroup(mls, next);
  return { kind: 'commit', next, removedSelf };
}

async function run<T>(tracked: ReturnType<typeof trackedConfig>, step: () => Promise<T>): Promise<T> {
  return refuseOnError('rejected', 'MLS refused the message', step).catch((err: unknown) => {
    throw tracked.refusedCredential()
      ? new MlsRefused('untrusted_leaf', 'A leaf is not a certified device')
      : err;
  });
}

interface Policy {
  callback: IncomingMessageCallback;
  violation: () => string | undefined;
}

/**
 * ts-mls asks the callback about each proposal and commit after checking its signature; the
 * callback is synchronous, so it records the first violation and the caller throws it.
 * `externalDeviceId` is the authenticated data of an external (server) proposal: the device the
 * server says it removes, which must be the device at the leaf it names.
 */
function latchPolicy(state: GroupState, externalAuthenticatedData: Uint8Array | undefined): Policy {
  let violation: string | undefined;
  const refuse = (why: string) => {
    violation ??= why;
    return 'reject' as const;
  };
  const checkProposal = (p: ProposalWithSender) => {
    if (p.proposal.proposalType !== 'remove')
      return refuse(`A stand-alone ${p.proposal.proposalType} proposal`);
    if (externalAuthenticatedData === undefined) return 'accept' as const;
    const leaf = state.ratchetTree[p.proposal.remove.removed * 2];
    const named = new TextDecoder().decode(externalAuthenticatedData);
    const cert = leaf?.nodeType === 'leaf' ? certificateFromCredential(leaf.leaf.credential) : null;
    if (cert?.certificate.deviceId !== named)
      return refuse('The server’s Remove names another device than its leaf');
    return 'accept' as const;
  };
  return {
    violation: () => violation,
    callback: (incoming) => {
      if (incoming.kind === 'proposal') return checkProposal(incoming.proposal);
      if (incoming.senderLeafIndex === undefined) return refuse('A commit from outside the group');
      const odd = incoming.proposals.find((p) => !COMMITTABLE.has(p.proposal.proposalType));
      return odd ? refuse(`A commit with a ${odd.proposal.proposalType} proposal`) : 'accept';
    },
  };
}

/** The sender of an application message: its leaf, from the (authenticated) sender data. */
async function senderOf(mls: LatchMls, state: GroupState, pm: PrivateMessage): Promise<GroupMember> {
  const epochData =
    pm.epoch === state.groupContext.epoch
      ? { senderDataSecret: state.keySchedule.senderDataSecret, ratchetTree: state.ratchetTree }
      : state.historicalReceiverData.get(pm.epoch);
  const senderData = epochData && (await decryptSenderData(pm, epochData.senderDataSecret, mls.impl));
  const leaf = senderData && epochData.ratchetTree[senderData.leafIndex * 2];
  const cert = leaf?.nodeType === 'leaf' ? certificateFromCredential(leaf.leaf.credential) : null;
  if (!senderData || !cert) throw new MlsRefused('rejected', 'No certified sender for the message');
  return { leafIndex: senderData.leafIndex, certificate: cert.certificate };
}
