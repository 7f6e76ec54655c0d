import { addDevices } from '../group';
import {
  makeAccount,
  makeWorld,
  randomId,
  SimulatedDevice,
  type TestAccount,
  type World,
} from './simulatedDevice';

export interface OneToOneChat {
  world: World;
  alice: TestAccount;
  bob: TestAccount;
  alicePhone: SimulatedDevice;
  aliceComputer1: SimulatedDevice;
  aliceComputer2: SimulatedDevice;
  bobPhone: SimulatedDevice;
  groupId: Uint8Array;
  all: SimulatedDevice[];
}

/** Phone A + two computers of A + phone B, all four devices in one 1:1 chat's group. */
export async function oneToOneChat(): Promise<OneToOneChat> {
  const world = await makeWorld();
  const [alice, bob] = await Promise.all([makeAccount(), makeAccount()]);
  const both = [alice, bob];
  const alicePhone = await SimulatedDevice.create(world, alice, 'primary', both);
  const aliceComputer1 = await SimulatedDevice.create(world, alice, 'companion', both);
  const aliceComputer2 = await SimulatedDevice.create(world, alice, 'companion', both);
  const bobPhone = await SimulatedDevice.create(world, bob, 'primary', both);
  const groupId = await alicePhone.startChat(randomId());
  const joiners = [aliceComputer1, aliceComputer2, bobPhone];
  const keyPackages = await Promise.all(joiners.map((d) => d.claimKeyPackage()));
  await alicePhone.commit(
    groupId,
    (s) => addDevices(alicePhone.mls, s, keyPackages),
    joiners.map((d) => d.deviceId),
  );
  for (const d of joiners) await d.acceptWelcomes();
  return {
    world,
    alice,
    bob,
    alicePhone,
    aliceComputer1,
    aliceComputer2,
    bobPhone,
    groupId,
    all: [alicePhone, aliceComputer1, aliceComputer2, bobPhone],
  };
}

export async function syncAll(devices: SimulatedDevice[], groupId: Uint8Array): Promise<void> {
  for (const d of devices) if (d.isMember(groupId)) await d.sync(groupId);
}
