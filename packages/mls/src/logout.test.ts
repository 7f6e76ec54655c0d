import { emptyPskIndex, processPrivateMessage } from 'ts-mls';
import { describe, expect, it } from 'vitest';
import { MlsRefused } from './errors';
import {
  commitPending,
  decodeMessage,
  encryptMessage,
  epochOf,
  exportGroupState,
  groupMembers,
  hasPendingProposals,
  importGroupState,
} from './group';
import { processIncoming } from './incoming';
import { proposeRemoveAsServer } from './server';
import { oneToOneChat, syncAll } from './testing/chatFixture';
import type { SimulatedDevice } from './testing/simulatedDevice';

function leafOf(device: SimulatedDevice, of: SimulatedDevice, groupId: Uint8Array): number {
  const member = groupMembers(device.state(groupId)).find((m) => m.certificate.deviceId === of.deviceId);
  if (!member) throw new Error('not a member');
  return member.leafIndex;
}

describe('logout removes the device from the group, cryptographically', () => {
  it('E2E-4 after the server proposes Remove and a member commits it, computer 2 with its full retained state opens nothing sent later', async () => {
    const chat = await oneToOneChat();
    const { groupId, world, alicePhone, aliceComputer1, aliceComputer2, bobPhone } = chat;
    await bobPhone.send(groupId, 'before the logout');
    await syncAll(chat.all, groupId);
    expect(aliceComputer2.inbox.map((m) => m.text)).toEqual(['before the logout']);

    // The attacker's copy: everything computer 2 holds, taken just before its logout.
    const retained = exportGroupState(aliceComputer2.state(groupId));
    const logFrom = world.ds.read(groupId, 0).length;

    const proposal = await proposeRemoveAsServer(world.server, {
      groupId,
      epoch: world.ds.epoch(groupId),
      leafIndex: leafOf(alicePhone, aliceComputer2, groupId),
      deviceId: aliceComputer2.deviceId,
    });
    expect(world.ds.submit(proposal).accepted).toBe(true);

    // E2E-7: Bob's phone sees the pending Remove and must commit it before it can send.
    await bobPhone.sync(groupId);
    expect(hasPendingProposals(bobPhone.state(groupId))).toBe(true);
    await expect(
      encryptMessage(bobPhone.mls, bobPhone.state(groupId), new Uint8Array([1])),
    ).rejects.toMatchObject({
      code: 'pending_proposals',
    });
    await bobPhone.send(groupId, 'after the logout, from Bob');
    await alicePhone.send(groupId, 'after the logout, from Alice');
    await aliceComputer1.send(groupId, 'after the logout, from computer 1');
    await syncAll(chat.all, groupId);

    const stayed = [alicePhone, aliceComputer1, bobPhone];
    for (const d of stayed) {
      expect(epochOf(d.state(groupId))).toBe(2n);
      expect(groupMembers(d.state(groupId)).map((m) => m.certificate.deviceId)).not.toContain(
        aliceComputer2.deviceId,
      );
      expect(d.refusals).toEqual([]);
    }
    expect(alicePhone.inbox.map((m) => m.text)).toContain('after the logout, from Bob');
    expect(bobPhone.inbox.map((m) => m.text)).toContain('after the logout, from computer 1');
    // The live computer 2 processed its own removal and then refused everything.
    expect(aliceComputer2.state(groupId).groupActiveState.kind).toBe('removedFromGroup');
    expect(aliceComputer2.inbox.map((m) => m.text)).toEqual(['before the logout']);

    const later = world.ds.read(groupId, logFrom).map((e) => e.bytes);
    expect(later).toHaveLength(5); // proposal, commit, three messages

    // 1. The retained state fed every later message, in order.
    let state = importGroupState(aliceComputer2.mls, retained);
    const opened: string[] = [];
    const refused: string[] = [];
    for (const bytes of later) {
      try {
        const result = await processIncoming(aliceComputer2.mls, state, bytes);
        state = result.next;
        if (result.kind === 'application') opened.push(new TextDecoder().decode(result.plaintext));
      } catch (err) {
        refused.push(err instanceof MlsRefused ? err.code : String(err));
      }
    }
    expect(opened).toEqual([]);
    expect(refused).toEqual(['removed', 'removed', 'removed']);
    // Past Latch's own "removed" guard, straight into ts-mls: its keys do not open them either.
    for (const bytes of later.slice(2)) {
      const message = decodeMessage(bytes);
      if (message.wireformat !== 'mls_private_message') throw new Error('expected a private message');
      await expect(
        processPrivateMessage(state, message.privateMessage, emptyPskIndex, aliceComputer2.mls.impl),
      ).rejects.toThrow();
    }

    // 2. A fresh copy of the retained state tried on each later message alone (skipping the commit).
    for (const bytes of later.slice(2)) {
      const copy = importGroupState(aliceComputer2.mls, retained);
      await expect(processIncoming(aliceComputer2.mls, copy, bytes)).rejects.toMatchObject({
        code: 'rejected',
      });
    }
  });

  it('E2E-4 a removed device stays out across later epochs', async () => {
    const chat = await oneToOneChat();
    const { groupId, world, alicePhone, aliceComputer2, bobPhone } = chat;
    const retained = exportGroupState(aliceComputer2.state(groupId));
    const logFrom = world.ds.read(groupId, 0).length;
    const proposal = await proposeRemoveAsServer(world.server, {
      groupId,
      epoch: world.ds.epoch(groupId),
      leafIndex: leafOf(bobPhone, aliceComputer2, groupId),
      deviceId: aliceComputer2.deviceId,
    });
    world.ds.submit(proposal);
    await alicePhone.send(groupId, 'one');
    await bobPhone.send(groupId, 'two');
    await syncAll(chat.all, groupId);
    for (let i = 0; i < 3; i++) {
      await bobPhone.commit(groupId, (s) => commitPending(bobPhone.mls, s));
      await alicePhone.send(groupId, `epoch refresh ${i}`);
    }
    await syncAll([alicePhone, bobPhone], groupId);
    expect(epochOf(bobPhone.state(groupId))).toBe(5n);
    expect(bobPhone.inbox.map((m) => m.text)).toContain('epoch refresh 2');

    for (const entry of world.ds.read(groupId, logFrom + 2)) {
      const copy = importGroupState(aliceComputer2.mls, retained);
      await expect(processIncoming(aliceComputer2.mls, copy, entry.bytes)).rejects.toBeInstanceOf(MlsRefused);
    }
  });
});
