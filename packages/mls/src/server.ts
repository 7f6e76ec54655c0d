import { encodeMlsMessage, type GroupInfo, proposeExternal } from 'ts-mls';
import { LATCH_CIPHERSUITE, latchCiphersuite } from './ciphersuite';
import { decodeMessage } from './group';
import { externalSendersExtension } from './trust';

/**
 * The delivery service's side of MLS. The server holds no group state and reads no content: it
 * orders messages, checks epochs from the clear header, and signs Remove proposals as the groups'
 * external sender. (Node and browsers alike: no `node:*` here.)
 */

export interface ServerSigningKey {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export async function generateServerSigningKey(): Promise<ServerSigningKey> {
  const { publicKey, signKey } = await (await latchCiphersuite()).signature.keygen();
  return { publicKey, privateKey: signKey };
}

/**
 * The server's Remove proposal for a logged-out device's leaf. The device id goes in the
 * proposal's authenticated data; members refuse the proposal unless that device holds the leaf.
 * An external proposal is signed without the group context (RFC 9420 §6.1), so the server needs
 * only the group id and the epoch it is at, not the group's tree or secrets.
 */
export async function proposeRemoveAsServer(
  key: ServerSigningKey,
  target: { groupId: Uint8Array; epoch: bigint; leafIndex: number; deviceId: string },
): Promise<Uint8Array> {
  const impl = await latchCiphersuite();
  const groupInfo: GroupInfo = {
    groupContext: {
      version: 'mls10',
      cipherSuite: LATCH_CIPHERSUITE,
      groupId: target.groupId,
      epoch: target.epoch,
      treeHash: new Uint8Array(),
      confirmedTranscriptHash: new Uint8Array(),
      extensions: [externalSendersExtension(key.publicKey)],
    },
    extensions: [],
    confirmationTag: new Uint8Array(),
    signer: 0,
    signature: new Uint8Array(),
  };
  const message = await proposeExternal(
    groupInfo,
    { proposalType: 'remove', remove: { removed: target.leafIndex } },
    key.publicKey,
    key.privateKey,
    impl,
    new TextEncoder().encode(target.deviceId),
  );
  return encodeMlsMessage(message);
}

export type MessageHeader =
  | {
      kind: 'handshake' | 'application';
      groupId: Uint8Array;
      epoch: bigint;
      contentType: 'commit' | 'proposal' | 'application';
    }
  | { kind: 'welcome' | 'key_package' | 'group_info' };

/** What the server may read of a message: its kind and, for group messages, group id and epoch. */
export function inspectMessage(bytes: Uint8Array): MessageHeader {
  const m = decodeMessage(bytes);
  switch (m.wireformat) {
    case 'mls_private_message':
      return header(m.privateMessage.groupId, m.privateMessage.epoch, m.privateMessage.contentType);
    case 'mls_public_message':
      return header(
        m.publicMessage.content.groupId,
        m.publicMessage.content.epoch,
        m.publicMessage.content.contentType,
      );
    case 'mls_welcome':
      return { kind: 'welcome' };
    case 'mls_key_package':
      return { kind: 'key_package' };
    case 'mls_group_info':
      return { kind: 'group_info' };
  }
}

function header(
  groupId: Uint8Array,
  epoch: bigint,
  contentType: 'commit' | 'proposal' | 'application',
): MessageHeader {
  return { kind: contentType === 'application' ? 'application' : 'handshake', groupId, epoch, contentType };
}
