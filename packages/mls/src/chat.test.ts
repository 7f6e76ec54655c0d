import { describe, expect, it } from 'vitest';
import { addDevices, commitPending, epochOf, groupMembers } from './group';
import { oneToOneChat, syncAll } from './testing/chatFixture';
import { SimulatedDevice } from './testing/simulatedDevice';

describe('a chat is one MLS group of devices', () => {
  it('E2E-3 phone A, two computers of A and phone B share one group; every device decrypts both ways', async () => {
    const chat = await oneToOneChat();
    const { groupId, all, alicePhone, aliceComputer1, aliceComputer2, bobPhone } = chat;

    for (const d of all) {
      expect(epochOf(d.state(groupId))).toBe(1n);
      expect(
        groupMembers(d.state(groupId))
          .map((m) => m.certificate.deviceId)
          .sort(),
      ).toEqual(all.map((x) => x.deviceId).sort());
    }
    await bobPhone.send(groupId, 'hi Alice, from Bob');
    await aliceComputer2.send(groupId, 'hi Bob, from Alice’s second computer');
    await syncAll(all, groupId);

    for (const d of [alicePhone, aliceComputer1, aliceComputer2]) {
      expect(d.inbox).toContainEqual({ text: 'hi Alice, from Bob', fromDevice: bobPhone.deviceId });
    }
    for (const d of [alicePhone, aliceComputer1, bobPhone]) {
      expect(d.inbox).toContainEqual({
        text: 'hi Bob, from Alice’s second computer',
        fromDevice: aliceComputer2.deviceId,
      });
    }
    for (const d of all) expect(d.refusals).toEqual([]);
  });

  it('E2E-6 two members commit in the same epoch: the DS takes one, the other retries and all converge', async () => {
    const chat = await oneToOneChat();
    const { groupId, all, alice, bob, alicePhone, bobPhone, world } = chat;
    const aliceComputer3 = await SimulatedDevice.create(world, alice, 'companion', [alice, bob]);
    const bobComputer = await SimulatedDevice.create(world, bob, 'companion', [alice, bob]);

    // Both prepare a commit for epoch 1 before either sees the other's.
    const fromAlice = await addDevices(alicePhone.mls, alicePhone.state(groupId), [
      await aliceComputer3.claimKeyPackage(),
    ]);
    const fromBob = await addDevices(bobPhone.mls, bobPhone.state(groupId), [
      await bobComputer.claimKeyPackage(),
    ]);
    expect(fromAlice.epoch).toBe(1n);
    expect(fromBob.epoch).toBe(1n);
    expect(alicePhone.submitCommit(groupId, fromAlice, [aliceComputer3.deviceId])).toBe(true);
    expect(bobPhone.submitCommit(groupId, fromBob, [bobComputer.deviceId])).toBe(false);

    // Bob's phone processes the winner, then makes its commit again on epoch 2.
    const bobKeyPackage = await bobComputer.claimKeyPackage();
    const attempts = await bobPhone.commit(groupId, (s) => addDevices(bobPhone.mls, s, [bobKeyPackage]), [
      bobComputer.deviceId,
    ]);
    expect(attempts).toBe(1);
    await aliceComputer3.acceptWelcomes();
    await bobComputer.acceptWelcomes();
    const everyone = [...all, aliceComputer3, bobComputer];
    await syncAll(everyone, groupId);

    const authenticators = everyone.map((d) =>
      Buffer.from(d.state(groupId).keySchedule.epochAuthenticator).toString('hex'),
    );
    expect(new Set(authenticators).size).toBe(1);
    for (const d of everyone) {
      expect(epochOf(d.state(groupId))).toBe(3n);
      expect(groupMembers(d.state(groupId))).toHaveLength(6);
      expect(d.refusals).toEqual([]);
    }
    await bobComputer.send(groupId, 'converged');
    await syncAll(everyone, groupId);
    for (const d of everyone.filter((x) => x !== bobComputer)) {
      expect(d.inbox.map((m) => m.text)).toContain('converged');
    }
  });

  it('E2E-6 an empty commit (key refresh) from a stale epoch is refused by the DS and nothing changes', async () => {
    const chat = await oneToOneChat();
    const { groupId, aliceComputer1, bobPhone, world } = chat;
    const stale = await commitPending(bobPhone.mls, bobPhone.state(groupId));
    expect(
      aliceComputer1.submitCommit(
        groupId,
        await commitPending(aliceComputer1.mls, aliceComputer1.state(groupId)),
      ),
    ).toBe(true);
    expect(world.ds.submit(stale.commit)).toEqual({ accepted: false, epoch: 2n });
    expect(epochOf(bobPhone.state(groupId))).toBe(1n);
  });
});
