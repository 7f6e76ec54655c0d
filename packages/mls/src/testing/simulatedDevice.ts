import { type DeviceKind, toBase64Url } from '@latch/protocol';
import { type AccountSigner, accountSignerFromKey, issueDeviceCertificate } from '../certificate';
import { createLatchMls, type LatchMls } from '../context';
import {
  type DeviceMlsIdentity,
  deviceIdentity,
  generateMlsSignatureKeyPair,
  type LocalKeyPackage,
  makeKeyPackage,
} from '../device';
import { MlsRefused } from '../errors';
import {
  commitPending,
  createChatGroup,
  encryptMessage,
  type GroupState,
  groupIdForChat,
  hasPendingProposals,
  type PendingCommit,
} from '../group';
import { processIncoming } from '../incoming';
import { generateServerSigningKey, type ServerSigningKey } from '../server';
import { TrustStore } from '../trust';
import { joinFromWelcome } from '../welcome';
import { DeliveryService } from './deliveryService';

/** Test fixtures: accounts with a phone-style identity key, devices that talk through the model DS. */

export function randomId(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

export interface TestAccount {
  accountId: string;
  /** base64url P-256 point, as the contact's devices know it. */
  publicKey: string;
  sign: AccountSigner;
}

/** An account identity key as the phone makes it: ECDSA P-256, non-extractable. */
export async function makeAccount(): Promise<TestAccount> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { accountId: randomId(), publicKey: toBase64Url(raw), sign: accountSignerFromKey(pair.privateKey) };
}

export interface World {
  ds: DeliveryService;
  server: ServerSigningKey;
}

export async function makeWorld(): Promise<World> {
  return { ds: new DeliveryService(), server: await generateServerSigningKey() };
}

export interface Received {
  text: string;
  fromDevice: string;
}

export class SimulatedDevice {
  readonly inbox: Received[] = [];
  readonly refusals: MlsRefused[] = [];
  private readonly keyPackages: LocalKeyPackage[] = [];
  private readonly groups = new Map<string, { state: GroupState; cursor: number; own: Set<number> }>();

  private constructor(
    readonly deviceId: string,
    readonly identity: DeviceMlsIdentity,
    readonly mls: LatchMls,
    private readonly world: World,
  ) {}

  /** A device of `account` that trusts the account keys of `knownAccounts` (its own included). */
  static async create(world: World, account: TestAccount, kind: DeviceKind, knownAccounts: TestAccount[]) {
    const deviceId = randomId();
    const keyPair = await generateMlsSignatureKeyPair();
    const certificate = await issueDeviceCertificate(account.sign, {
      accountId: account.accountId,
      deviceId,
      kind,
      issuedAt: Date.now(),
      mlsSignaturePublicKey: toBase64Url(keyPair.publicKey),
    });
    const trust = new TrustStore(knownAccounts.map((a) => [a.accountId, a.publicKey] as const));
    const mls = await createLatchMls(trust, world.server.publicKey);
    return new SimulatedDevice(deviceId, deviceIdentity(keyPair, certificate), mls, world);
  }

  /** A one-time KeyPackage, as uploaded to the server and claimed by whoever adds this device. */
  async claimKeyPackage(): Promise<Uint8Array> {
    const kp = await makeKeyPackage(this.identity);
    this.keyPackages.push(kp);
    return kp.encoded;
  }

  async startChat(chatId: string): Promise<Uint8Array> {
    const groupId = groupIdForChat(chatId);
    this.world.ds.createGroup(groupId);
    this.groups.set(key(groupId), {
      state: await createChatGroup(this.mls, this.identity, groupId),
      cursor: 0,
      own: new Set(),
    });
    return groupId;
  }

  async acceptWelcomes(): Promise<void> {
    for (const relayed of this.world.ds.takeWelcomes(this.deviceId)) {
      const { state } = await joinFromWelcome(this.mls, relayed.welcome, this.keyPackages);
      this.groups.set(key(relayed.groupId), { state, cursor: relayed.fromSeq, own: new Set() });
    }
  }

  state(groupId: Uint8Array): GroupState {
    return this.group(groupId).state;
  }

  /** As after a restart: the group's state comes back from storage. */
  restoreState(groupId: Uint8Array, state: GroupState): void {
    this.group(groupId).state = state;
  }

  isMember(groupId: Uint8Array): boolean {
    return this.groups.has(key(groupId));
  }

  /** Processes the group's log from this device's cursor; refused messages are kept in `refusals`. */
  async sync(groupId: Uint8Array): Promise<void> {
    const g = this.group(groupId);
    for (const entry of this.world.ds.read(groupId, g.cursor)) {
      g.cursor = entry.seq + 1;
      if (g.own.has(entry.seq)) continue;
      try {
        const result = await processIncoming(this.mls, g.state, entry.bytes);
        g.state = result.next;
        if (result.kind === 'application') {
          this.inbox.push({
            text: new TextDecoder().decode(result.plaintext),
            fromDevice: result.sender.certificate.deviceId,
          });
        }
      } catch (err) {
        if (!(err instanceof MlsRefused)) throw err;
        this.refusals.push(err);
      }
    }
  }

  /** Submits a prepared commit; adopts it only if the DS accepted it for its epoch. */
  submitCommit(groupId: Uint8Array, pending: PendingCommit, welcomeTo: string[] = []): boolean {
    const g = this.group(groupId);
    const result = this.world.ds.submit(pending.commit);
    if (!result.accepted) return false;
    g.state = pending.next;
    g.own.add(result.seq);
    if (pending.welcome)
      this.world.ds.relayWelcome({ welcome: pending.welcome, groupId, fromSeq: result.seq + 1 }, welcomeTo);
    return true;
  }

  /** Catches up, makes the commit, submits it; on losing the epoch, catches up and tries again. */
  async commit(
    groupId: Uint8Array,
    make: (state: GroupState) => Promise<PendingCommit>,
    welcomeTo: string[] = [],
  ): Promise<number> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      await this.sync(groupId);
      if (this.submitCommit(groupId, await make(this.state(groupId)), welcomeTo)) return attempt;
    }
    throw new Error('Lost the epoch five times in a row');
  }

  /** Sends a text: pending proposals (a server Remove) are committed first, as every client must. */
  async send(groupId: Uint8Array, text: string): Promise<void> {
    await this.sync(groupId);
    if (hasPendingProposals(this.state(groupId)))
      await this.commit(groupId, (s) => commitPending(this.mls, s));
    const g = this.group(groupId);
    const { message, next } = await encryptMessage(this.mls, g.state, new TextEncoder().encode(text));
    g.state = next;
    const result = this.world.ds.submit(message);
    if (!result.accepted) throw new Error('The DS refused an application message');
    g.own.add(result.seq);
  }

  private group(groupId: Uint8Array) {
    const g = this.groups.get(key(groupId));
    if (!g) throw new Error('Not in this group');
    return g;
  }
}

function key(groupId: Uint8Array): string {
  return toBase64Url(groupId);
}
