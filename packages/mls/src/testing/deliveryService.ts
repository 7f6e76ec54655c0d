import { toBase64Url } from '@latch/protocol';
import { inspectMessage } from '../server';

/**
 * A delivery service in memory, the model of what the Latch server will do for MLS: it orders every
 * group's handshake and application messages in one log, accepts exactly one commit per epoch (a
 * commit for an older epoch is refused and its maker must process the winner and try again), and
 * relays Welcomes to the devices they are for. It reads headers only, never content.
 */
export interface LogEntry {
  seq: number;
  bytes: Uint8Array;
}

/** A Welcome and where in its group's log the new member starts reading (just after the commit). */
export interface RelayedWelcome {
  welcome: Uint8Array;
  groupId: Uint8Array;
  fromSeq: number;
}

export type SubmitResult = { accepted: true; seq: number } | { accepted: false; epoch: bigint };

interface GroupLog {
  epoch: bigint;
  entries: LogEntry[];
}

export class DeliveryService {
  private readonly groups = new Map<string, GroupLog>();
  private readonly welcomes = new Map<string, RelayedWelcome[]>();

  createGroup(groupId: Uint8Array): void {
    this.groups.set(toBase64Url(groupId), { epoch: 0n, entries: [] });
  }

  epoch(groupId: Uint8Array): bigint {
    return this.log(groupId).epoch;
  }

  /** Appends a group message; a commit only when it is for the group's current epoch. */
  submit(bytes: Uint8Array): SubmitResult {
    const header = inspectMessage(bytes);
    if (header.kind !== 'handshake' && header.kind !== 'application') throw new Error('Not a group message');
    const log = this.log(header.groupId);
    const isCommit = header.contentType === 'commit';
    const tooOld =
      isCommit || header.contentType === 'proposal' ? header.epoch !== log.epoch : header.epoch > log.epoch;
    if (tooOld) return { accepted: false, epoch: log.epoch };
    if (isCommit) log.epoch += 1n;
    const seq = log.entries.length;
    log.entries.push({ seq, bytes });
    return { accepted: true, seq };
  }

  read(groupId: Uint8Array, fromSeq: number): LogEntry[] {
    return this.log(groupId).entries.slice(fromSeq);
  }

  relayWelcome(relayed: RelayedWelcome, deviceIds: string[]): void {
    for (const id of deviceIds) this.welcomes.set(id, [...(this.welcomes.get(id) ?? []), relayed]);
  }

  takeWelcomes(deviceId: string): RelayedWelcome[] {
    const waiting = this.welcomes.get(deviceId) ?? [];
    this.welcomes.delete(deviceId);
    return waiting;
  }

  private log(groupId: Uint8Array): GroupLog {
    const log = this.groups.get(toBase64Url(groupId));
    if (!log) throw new Error('Unknown group');
    return log;
  }
}
