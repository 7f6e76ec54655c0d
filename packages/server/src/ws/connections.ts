import type { ClientApp, LinkServerFrame, ServerFrame } from '@latch/protocol';
import type { WebSocket } from 'ws';

/** An authenticated device socket on this node. */
export interface DeviceConn {
  ws: WebSocket;
  app: ClientApp;
  accountId: string;
  deviceId: string;
  send(frame: ServerFrame): void;
  /** Sends a frame already encoded (one encoding for many sockets). */
  sendText(text: string): void;
  /** Closed because the device was logged out: its row already says offline, nothing to write. */
  revoked?: boolean;
}

/** A browser waiting on the link channel on this node. */
export interface LinkConn {
  linkId: string;
  deliver(frame: LinkServerFrame): void;
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

/** The sockets this node owns: the only cross-request state a node keeps in memory. */
export class Connections {
  private readonly byDevice = new Map<string, Set<DeviceConn>>();
  private readonly byAccount = new Map<string, Set<DeviceConn>>();
  private readonly links = new Map<string, LinkConn>();
  /** Open device sockets per app (the phone app is the primary device, the web app a companion). */
  private readonly perApp: Record<ClientApp, number> = { phone: 0, web: 0 };
  /** Open link channels per IP, counted from the upgrade to the close (LIM-4). */
  private readonly linkChannelsByIp = new Map<string, number>();

  add(conn: DeviceConn): void {
    addTo(this.byDevice, conn.deviceId, conn);
    addTo(this.byAccount, conn.accountId, conn);
    this.perApp[conn.app] += 1;
  }

  /** Returns true when it was the device's last socket on this node. */
  remove(conn: DeviceConn): boolean {
    if (this.byDevice.get(conn.deviceId)?.has(conn)) this.perApp[conn.app] -= 1;
    removeFrom(this.byDevice, conn.deviceId, conn);
    removeFrom(this.byAccount, conn.accountId, conn);
    return !this.byDevice.has(conn.deviceId);
  }

  ofDevice(deviceId: string): DeviceConn[] {
    return [...(this.byDevice.get(deviceId) ?? [])];
  }

  ofAccount(accountId: string): DeviceConn[] {
    return [...(this.byAccount.get(accountId) ?? [])];
  }

  hasAccount(accountId: string): boolean {
    return this.byAccount.has(accountId);
  }

  all(): DeviceConn[] {
    return [...this.byDevice.values()].flatMap((s) => [...s]);
  }

  /** Authenticated sockets of one device on this node. */
  socketsOfDevice(deviceId: string): number {
    return this.byDevice.get(deviceId)?.size ?? 0;
  }

  deviceIds(): string[] {
    return [...this.byDevice.keys()];
  }

  addLink(conn: LinkConn): void {
    this.links.set(conn.linkId, conn);
  }

  removeLink(linkId: string): void {
    this.links.delete(linkId);
  }

  link(linkId: string): LinkConn | undefined {
    return this.links.get(linkId);
  }

  /** Counts one more open link channel for `ip`, unless it holds `max` already (then false, not counted). */
  openLinkChannel(ip: string, max: number): boolean {
    const open = this.linkChannelsByIp.get(ip) ?? 0;
    if (open >= max) return false;
    this.linkChannelsByIp.set(ip, open + 1);
    return true;
  }

  linkChannelsOf(ip: string): number {
    return this.linkChannelsByIp.get(ip) ?? 0;
  }

  closeLinkChannel(ip: string): void {
    const open = (this.linkChannelsByIp.get(ip) ?? 0) - 1;
    if (open > 0) this.linkChannelsByIp.set(ip, open);
    else this.linkChannelsByIp.delete(ip);
  }

  get size(): number {
    return this.byDevice.size;
  }

  /** Open sockets by kind, for the metrics. */
  countByKind(): { primary: number; companion: number; link: number } {
    return { primary: this.perApp.phone, companion: this.perApp.web, link: this.links.size };
  }
}
