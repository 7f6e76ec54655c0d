/**
 * What MLS costs per message and per commit, printed (not asserted; a measurement, not a test):
 *   node --import tsx packages/mls/src/testing/measure.ts
 */
import { validateLeaf } from '../certificate';
import { addDevices, commitPending, encryptMessage, exportGroupState, type GroupState } from '../group';
import { processIncoming } from '../incoming';
import { makeAccount, makeWorld, randomId, SimulatedDevice } from './simulatedDevice';

const MEMBERS = 10;

async function time<T>(label: string, runs: number, step: () => Promise<T>): Promise<T> {
  let last: T | undefined;
  const start = performance.now();
  for (let i = 0; i < runs; i++) last = await step();
  const ms = (performance.now() - start) / runs;
  console.log(`${label.padEnd(58)} ${ms.toFixed(2).padStart(8)} ms`);
  return last as T;
}

const world = await makeWorld();
const accounts = await Promise.all(Array.from({ length: MEMBERS / 2 }, makeAccount));
const devices: SimulatedDevice[] = [];
for (const account of accounts) {
  devices.push(await SimulatedDevice.create(world, account, 'primary', accounts));
  devices.push(await SimulatedDevice.create(world, account, 'companion', accounts));
}
const [creator, receiver] = devices as [SimulatedDevice, SimulatedDevice];
const groupId = await creator.startChat(randomId());
const joiners = devices.slice(1);
const keyPackages = await Promise.all(joiners.map((d) => d.claimKeyPackage()));
await time(`commit adding ${joiners.length} devices (one Welcome)`, 1, async () => {
  const pending = await addDevices(creator.mls, creator.state(groupId), keyPackages);
  creator.submitCommit(
    groupId,
    pending,
    joiners.map((d) => d.deviceId),
  );
  return pending;
});
await time('join from that Welcome (tree of 10 checked)', 1, () => receiver.acceptWelcomes());
for (const d of joiners.slice(1)) await d.acceptWelcomes();

let sender: GroupState = creator.state(groupId);
let reader: GroupState = receiver.state(groupId);
for (const size of [100, 3000]) {
  const text = new Uint8Array(size).fill(97);
  let message: Uint8Array = new Uint8Array();
  await time(`encrypt + decrypt one ${size} B message`, 200, async () => {
    const out = await encryptMessage(creator.mls, sender, text);
    sender = out.next;
    message = out.message;
    const opened = await processIncoming(receiver.mls, reader, message);
    reader = opened.next;
  });
  console.log(`  ciphertext of a ${size} B message: ${message.length} B`);
  const fresh = await encryptMessage(creator.mls, sender, text);
  sender = fresh.next;
  await time(`decrypt one ${size} B message`, 50, () => processIncoming(receiver.mls, reader, fresh.message));
}

const pending = await time(`empty commit (path update) in a group of ${MEMBERS}`, 20, () =>
  commitPending(creator.mls, creator.state(groupId)),
);
await time(`process that commit on another member`, 20, () =>
  processIncoming(receiver.mls, receiver.state(groupId), pending.commit),
);
console.log(
  `  commit ${pending.commit.length} B; sealed-state input ${exportGroupState(creator.state(groupId)).length} B`,
);
const leaf = creator.identity;
const known = new Map(accounts.map((a) => [a.accountId, a.publicKey]));
await time('validateLeaf (ECDSA P-256 verify of a certificate)', 200, () =>
  validateLeaf(leaf.credential, leaf.keyPair.publicKey, known),
);
