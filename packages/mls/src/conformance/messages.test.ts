/**
 * E2E-1, part 2: message encoding, message protection and Welcome processing against the MLS
 * working group's vectors (suite 1 where the kind has a suite). Module subpaths as in
 * primitives.test.ts.
 */
import {
  decodeMlsMessage,
  defaultCapabilities,
  defaultKeyRetentionConfig,
  defaultPaddingConfig,
  encodeMlsMessage,
  type GroupContext,
  type RatchetTree,
} from 'ts-mls';
import type { Decoder } from 'ts-mls/codec/tlsDecoder.js';
import type { Encoder } from 'ts-mls/codec/tlsEncoder.js';
import { decodeCommit, encodeCommit } from 'ts-mls/commit.js';
import { verifyGroupInfoConfirmationTag, verifyGroupInfoSignature } from 'ts-mls/groupInfo.js';
import { decodeGroupSecrets, encodeGroupSecrets } from 'ts-mls/groupSecrets.js';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import {
  protectApplicationData,
  protectProposal,
  unprotectPrivateMessage,
} from 'ts-mls/messageProtection.js';
import { unprotectPublicMessage } from 'ts-mls/messageProtectionPublic.js';
import {
  decodeAdd,
  decodeExternalInit,
  decodeGroupContextExtensions,
  decodeProposal,
  decodePSK,
  decodeReinit,
  decodeRemove,
  decodeUpdate,
  encodeAdd,
  encodeExternalInit,
  encodeGroupContextExtensions,
  encodeProposal,
  encodePSK,
  encodeReinit,
  encodeRemove,
  encodeUpdate,
} from 'ts-mls/proposal.js';
import { decodeRatchetTree, encodeRatchetTree } from 'ts-mls/ratchetTree.js';
import { createSecretTree } from 'ts-mls/secretTree.js';
import { decryptGroupInfo, decryptGroupSecrets } from 'ts-mls/welcome.js';
import { describe, expect, it } from 'vitest';
import { LATCH_CIPHERSUITE, LATCH_CIPHERSUITE_ID, latchCiphersuite } from '../ciphersuite';
import { hex, loadVectors, toHex, vectorsAvailable } from './vectors';

const SUITE = LATCH_CIPHERSUITE_ID;

function roundTrip<T>(decode: Decoder<T>, encode: Encoder<T>, text: string): void {
  const bytes = hex(text);
  const decoded = decode(bytes, 0);
  if (!decoded) throw new Error('could not decode');
  expect(decoded[1]).toBe(bytes.length);
  expect(toHex(encode(decoded[0]))).toBe(text);
}

const WIRE_MESSAGES = {
  mls_welcome: 'mls_welcome',
  mls_group_info: 'mls_group_info',
  mls_key_package: 'mls_key_package',
  public_message_application: 'mls_public_message',
  public_message_proposal: 'mls_public_message',
  public_message_commit: 'mls_public_message',
  private_message: 'mls_private_message',
} as const;

const STRUCTS: Record<string, (text: string) => void> = {
  ratchet_tree: (t) => roundTrip(decodeRatchetTree, encodeRatchetTree, t),
  group_secrets: (t) => roundTrip(decodeGroupSecrets, encodeGroupSecrets, t),
  add_proposal: (t) => roundTrip(decodeAdd, encodeAdd, t),
  update_proposal: (t) => roundTrip(decodeUpdate, encodeUpdate, t),
  remove_proposal: (t) => roundTrip(decodeRemove, encodeRemove, t),
  pre_shared_key_proposal: (t) => roundTrip(decodePSK, encodePSK, t),
  re_init_proposal: (t) => roundTrip(decodeReinit, encodeReinit, t),
  external_init_proposal: (t) => roundTrip(decodeExternalInit, encodeExternalInit, t),
  group_context_extensions_proposal: (t) =>
    roundTrip(decodeGroupContextExtensions, encodeGroupContextExtensions, t),
  commit: (t) => roundTrip(decodeCommit, encodeCommit, t),
};

describe.runIf(vectorsAvailable('messages.test.ts'))('E2E-1 RFC 9420 test vectors: messages', () => {
  it('E2E-1 messages: every message and structure decodes and re-encodes to the same bytes', () => {
    const vectors = loadVectors<Record<string, string>>('messages.json');
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      for (const [field, wireformat] of Object.entries(WIRE_MESSAGES)) {
        const text = v[field];
        if (text === undefined) throw new Error(`missing ${field}`);
        const decoded = decodeMlsMessage(hex(text), 0);
        expect(decoded?.[0].wireformat).toBe(wireformat);
        if (decoded) expect(toHex(encodeMlsMessage(decoded[0]))).toBe(text);
      }
      for (const [field, check] of Object.entries(STRUCTS)) {
        const text = v[field];
        if (text === undefined) throw new Error(`missing ${field}`);
        check(text);
      }
    }
  });

  it('E2E-1 message-protection: public and private proposals, commits and application data open; ours round-trip', async () => {
    const impl = await latchCiphersuite();
    const [v] = loadVectors<Record<string, string> & { epoch: number }>('message-protection.json', SUITE);
    if (!v) throw new Error('no message-protection vector for suite 1');
    const f = (k: string) => hex(v[k] ?? '');
    const context: GroupContext = {
      version: 'mls10',
      cipherSuite: LATCH_CIPHERSUITE,
      groupId: f('group_id'),
      epoch: BigInt(v.epoch),
      treeHash: f('tree_hash'),
      confirmedTranscriptHash: f('confirmed_transcript_hash'),
      extensions: [],
    };
    // The sender is leaf 1; the vectors give only its signature key.
    const tree: RatchetTree = [
      undefined,
      undefined,
      {
        nodeType: 'leaf',
        leaf: {
          leafNodeSource: 'commit',
          hpkePublicKey: new Uint8Array(),
          signaturePublicKey: f('signature_pub'),
          capabilities: defaultCapabilities(),
          parentHash: new Uint8Array(),
          extensions: [],
          signature: new Uint8Array(),
          credential: { credentialType: 'basic', identity: new Uint8Array() },
        },
      },
    ];
    const openPrivate = async (bytes: Uint8Array) => {
      const m = decodeMlsMessage(bytes, 0)?.[0];
      if (m?.wireformat !== 'mls_private_message') throw new Error('not a private message');
      const secretTree = await createSecretTree(2, f('encryption_secret'), impl.kdf);
      const out = await unprotectPrivateMessage(
        f('sender_data_secret'),
        m.privateMessage,
        secretTree,
        tree,
        context,
        defaultKeyRetentionConfig,
        impl,
        f('signature_pub'),
      );
      return out.content.content;
    };
    const openPublic = async (text: string) => {
      const m = decodeMlsMessage(hex(text), 0)?.[0];
      if (m?.wireformat !== 'mls_public_message') throw new Error('not a public message');
      return (
        await unprotectPublicMessage(
          f('membership_key'),
          context,
          tree,
          m.publicMessage,
          impl,
          f('signature_pub'),
        )
      ).content;
    };

    const publicProposal = await openPublic(v.proposal_pub ?? '');
    expect(publicProposal.contentType === 'proposal' && toHex(encodeProposal(publicProposal.proposal))).toBe(
      v.proposal,
    );
    const publicCommit = await openPublic(v.commit_pub ?? '');
    expect(publicCommit.contentType === 'commit' && toHex(encodeCommit(publicCommit.commit))).toBe(v.commit);
    const proposal = await openPrivate(f('proposal_priv'));
    expect(proposal.contentType === 'proposal' && toHex(encodeProposal(proposal.proposal))).toBe(v.proposal);
    const commit = await openPrivate(f('commit_priv'));
    expect(commit.contentType === 'commit' && toHex(encodeCommit(commit.commit))).toBe(v.commit);
    const application = await openPrivate(f('application_priv'));
    expect(application.contentType === 'application' && toHex(application.applicationData)).toBe(
      v.application,
    );

    const ourApp = await protectApplicationData(
      f('signature_priv'),
      f('sender_data_secret'),
      f('application'),
      new Uint8Array(),
      context,
      await createSecretTree(2, f('encryption_secret'), impl.kdf),
      1,
      defaultPaddingConfig,
      impl,
    );
    const reopenedApp = await openPrivate(
      encodeMlsMessage({
        version: 'mls10',
        wireformat: 'mls_private_message',
        privateMessage: ourApp.privateMessage,
      }),
    );
    expect(reopenedApp.contentType === 'application' && toHex(reopenedApp.applicationData)).toBe(
      v.application,
    );
    const decodedProposal = decodeProposal(f('proposal'), 0);
    if (!decodedProposal) throw new Error('could not decode the proposal');
    const ourProposal = await protectProposal(
      f('signature_priv'),
      f('sender_data_secret'),
      decodedProposal[0],
      new Uint8Array(),
      context,
      await createSecretTree(2, f('encryption_secret'), impl.kdf),
      1,
      defaultPaddingConfig,
      impl,
    );
    const reopenedProposal = await openPrivate(
      encodeMlsMessage({
        version: 'mls10',
        wireformat: 'mls_private_message',
        privateMessage: ourProposal.privateMessage,
      }),
    );
    expect(
      reopenedProposal.contentType === 'proposal' && toHex(encodeProposal(reopenedProposal.proposal)),
    ).toBe(v.proposal);
  });

  it('E2E-1 welcome: group secrets and group info decrypt; confirmation tag and signature verify', async () => {
    const impl = await latchCiphersuite();
    const [v] = loadVectors<Record<'init_priv' | 'key_package' | 'signer_pub' | 'welcome', string>>(
      'welcome.json',
      SUITE,
    );
    if (!v) throw new Error('no welcome vector for suite 1');
    const welcome = decodeMlsMessage(hex(v.welcome), 0)?.[0];
    const keyPackage = decodeMlsMessage(hex(v.key_package), 0)?.[0];
    if (welcome?.wireformat !== 'mls_welcome' || keyPackage?.wireformat !== 'mls_key_package')
      throw new Error('bad vector');
    const ref = await makeKeyPackageRef(keyPackage.keyPackage, impl.hash);
    expect(welcome.welcome.secrets.some((s) => toHex(s.newMember) === toHex(ref))).toBe(true);
    const secrets = await decryptGroupSecrets(
      await impl.hpke.importPrivateKey(hex(v.init_priv)),
      ref,
      welcome.welcome,
      impl.hpke,
    );
    if (!secrets) throw new Error('could not decrypt the group secrets');
    const noPsk = new Uint8Array(impl.kdf.size);
    const groupInfo = await decryptGroupInfo(welcome.welcome, secrets.joinerSecret, noPsk, impl);
    if (!groupInfo) throw new Error('could not decrypt the group info');
    expect(await verifyGroupInfoConfirmationTag(groupInfo, secrets.joinerSecret, noPsk, impl)).toBe(true);
    expect(await verifyGroupInfoSignature(groupInfo, hex(v.signer_pub), impl.signature)).toBe(true);
  });
});
