import { toBase64Url } from '@latch/protocol';
import {
  type ClientState,
  type Credential,
  createCommit,
  createGroupInfoWithExternalPubAndRatchetTree,
  defaultAuthenticationService,
  defaultCapabilities,
  defaultLifetime,
  encodeMlsMessage,
  type GroupInfo,
  generateKeyPackage,
  generateKeyPackageWithKey,
  joinGroupExternal,
  type KeyPackage,
  proposeExternal,
} from 'ts-mls';
import { describe, expect, it } from 'vitest';
import { issueDeviceCertificate } from './certificate';
import { deviceIdentity, generateMlsSignatureKeyPair, makeKeyPackage } from './device';
import { addDevices, epochOf, type GroupState } from './group';
import { processIncoming } from './incoming';
import { generateServerSigningKey, proposeRemoveAsServer } from './server';
import { oneToOneChat, syncAll } from './testing/chatFixture';
import { makeAccount, randomId, SimulatedDevice } from './testing/simulatedDevice';
import { SERVER_CREDENTIAL } from './trust';
import { joinFromWelcome } from './welcome';

type Chat = Awaited<ReturnType<typeof oneToOneChat>>;

/** A device the server made up: a plain credential with no certificate. */
async function uncertifiedKeyPackage(chat: Chat): Promise<KeyPackage> {
  const credential: Credential = {
    credentialType: 'basic',
    identity: new TextEncoder().encode('evil-device'),
  };
  const kp = await generateKeyPackage(
    credential,
    defaultCapabilities(),
    defaultLifetime,
    [],
    chat.alicePhone.mls.impl,
  );
  return kp.publicPackage;
}

/** A device "of Alice" whose certificate looks right but is signed by a key that is not Alice's. */
async function forgedAliceKeyPackage(chat: Chat) {
  const impostor = await makeAccount();
  const keyPair = await generateMlsSignatureKeyPair();
  const certificate = await issueDeviceCertificate(impostor.sign, {
    accountId: chat.alice.accountId,
    deviceId: randomId(),
    kind: 'companion',
    issuedAt: Date.now(),
    mlsSignaturePublicKey: toBase64Url(keyPair.publicKey),
  });
  return makeKeyPackage(deviceIdentity(keyPair, certificate));
}

/** The server's own key as a leaf: its credential passes as the external sender's, never as a member's. */
async function serverAsLeafKeyPackage(chat: Chat): Promise<KeyPackage> {
  const kp = await generateKeyPackageWithKey(
    SERVER_CREDENTIAL,
    defaultCapabilities(),
    defaultLifetime,
    [],
    { signKey: chat.world.server.privateKey, publicKey: chat.world.server.publicKey },
    chat.alicePhone.mls.impl,
  );
  return kp.publicPackage;
}

/** A commit that skipped Latch's checks (a subverted client): ts-mls with an accept-all authentication service. */
async function craftedAddCommit(chat: Chat, committer: SimulatedDevice, keyPackage: KeyPackage) {
  const state = committer.state(chat.groupId);
  const permissive: ClientState = {
    ...state,
    clientConfig: { ...state.clientConfig, authService: defaultAuthenticationService },
  };
  return createCommit(
    { state: permissive, cipherSuite: committer.mls.impl },
    { extraProposals: [{ proposalType: 'add', add: { keyPackage } }], ratchetTreeExtension: true },
  );
}

/** Every device other than `except` processes `bytes`; returns the refusal codes, states untouched. */
async function everyoneRefuses(chat: Chat, bytes: Uint8Array, except?: SimulatedDevice): Promise<string[]> {
  const codes: string[] = [];
  for (const d of chat.all.filter((x) => x !== except)) {
    const before: GroupState = d.state(chat.groupId);
    const outcome = await processIncoming(d.mls, before, bytes).then(
      () => 'accepted',
      (err: { code?: string }) => err.code ?? 'error',
    );
    codes.push(outcome);
    expect(epochOf(d.state(chat.groupId))).toBe(epochOf(before));
  }
  return codes;
}

function groupInfoFor(chat: Chat): GroupInfo {
  const state = chat.alicePhone.state(chat.groupId);
  return {
    groupContext: state.groupContext,
    extensions: [],
    confirmationTag: new Uint8Array(),
    signer: 0,
    signature: new Uint8Array(),
  };
}

describe('a malicious server cannot put a device of its own in a chat', () => {
  it('E2E-5 an external Add proposal signed by the server is refused by every client', async () => {
    const chat = await oneToOneChat();
    for (const keyPackage of [
      await uncertifiedKeyPackage(chat),
      (await forgedAliceKeyPackage(chat)).keyPackage,
    ]) {
      const message = await proposeExternal(
        groupInfoFor(chat),
        { proposalType: 'add', add: { keyPackage } },
        chat.world.server.publicKey,
        chat.world.server.privateKey,
        chat.alicePhone.mls.impl,
      );
      expect(await everyoneRefuses(chat, encodeMlsMessage(message))).toEqual(Array(4).fill('not_allowed'));
    }
  });

  it('E2E-5 a KeyPackage the server substitutes for Alice’s new computer is refused before anything is committed', async () => {
    const chat = await oneToOneChat();
    const forged = await forgedAliceKeyPackage(chat);
    for (const d of [chat.alicePhone, chat.bobPhone]) {
      await expect(addDevices(d.mls, d.state(chat.groupId), [forged.encoded])).rejects.toMatchObject({
        code: 'untrusted_leaf',
      });
    }
  });

  it('E2E-5 a crafted commit adding an uncertified, forged or server leaf is refused by every other client', async () => {
    const chat = await oneToOneChat();
    const cases = [
      await uncertifiedKeyPackage(chat),
      (await forgedAliceKeyPackage(chat)).keyPackage,
      await serverAsLeafKeyPackage(chat),
    ];
    for (const keyPackage of cases) {
      const crafted = await craftedAddCommit(chat, chat.aliceComputer1, keyPackage);
      const codes = await everyoneRefuses(chat, encodeMlsMessage(crafted.commit), chat.aliceComputer1);
      expect(codes).toEqual(Array(3).fill('untrusted_leaf'));
    }
  });

  it('E2E-5 a Welcome whose tree holds a forged leaf is refused whole by the device it welcomes', async () => {
    const chat = await oneToOneChat();
    const newcomer = await SimulatedDevice.create(chat.world, chat.bob, 'companion', [chat.alice, chat.bob]);
    const own = await makeKeyPackage(newcomer.identity);
    const forged = await forgedAliceKeyPackage(chat);
    const state = chat.bobPhone.state(chat.groupId);
    const crafted = await createCommit(
      {
        state: {
          ...state,
          clientConfig: { ...state.clientConfig, authService: defaultAuthenticationService },
        },
        cipherSuite: chat.bobPhone.mls.impl,
      },
      {
        extraProposals: [
          { proposalType: 'add', add: { keyPackage: forged.keyPackage } },
          { proposalType: 'add', add: { keyPackage: own.keyPackage } },
        ],
        ratchetTreeExtension: true,
      },
    );
    if (!crafted.welcome) throw new Error('expected a Welcome');
    const welcome = encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_welcome',
      welcome: crafted.welcome,
    });
    await expect(joinFromWelcome(newcomer.mls, welcome, [own])).rejects.toMatchObject({
      code: 'untrusted_leaf',
    });
  });

  it('E2E-5 an external commit (a join without a Welcome) is refused by every client', async () => {
    const chat = await oneToOneChat();
    const impl = chat.alicePhone.mls.impl;
    const groupInfo = await createGroupInfoWithExternalPubAndRatchetTree(
      chat.alicePhone.state(chat.groupId),
      [],
      impl,
    );
    const forged = await forgedAliceKeyPackage(chat);
    const { publicMessage } = await joinGroupExternal(
      groupInfo,
      forged.keyPackage,
      forged.privatePackage,
      false,
      impl,
    );
    const bytes = encodeMlsMessage({ version: 'mls10', wireformat: 'mls_public_message', publicMessage });
    expect(await everyoneRefuses(chat, bytes)).toEqual(Array(4).fill('not_allowed'));
  });

  it('E2E-5 a server Remove that names another device than the leaf, or is signed by another key, is refused', async () => {
    const chat = await oneToOneChat();
    const { world, groupId } = chat;
    const mislabelled = await proposeRemoveAsServer(world.server, {
      groupId,
      epoch: 1n,
      leafIndex: 0, // Alice's phone
      deviceId: chat.aliceComputer2.deviceId,
    });
    expect(await everyoneRefuses(chat, mislabelled)).toEqual(Array(4).fill('not_allowed'));

    const otherKey = await generateServerSigningKey();
    const impostorRemove = await proposeRemoveAsServer(otherKey, {
      groupId,
      epoch: 1n,
      leafIndex: 2,
      deviceId: chat.aliceComputer2.deviceId,
    });
    expect(await everyoneRefuses(chat, impostorRemove)).toEqual(Array(4).fill('rejected'));
    await chat.bobPhone.send(groupId, 'still fine');
    await syncAll(chat.all, groupId);
    expect(chat.aliceComputer2.inbox.map((m) => m.text)).toEqual(['still fine']);
  });
});
