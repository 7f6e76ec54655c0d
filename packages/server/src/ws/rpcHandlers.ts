import type { RpcMethod, RpcParsedParams, RpcResult } from '@latch/protocol';
import type { DeviceRow } from '../repositories/device.repository';
import type { SocketFailureCounter } from '../services/rateLimiter';
import type { Services } from '../services/services';

/** Who is asking: the authenticated device behind a socket. */
export interface RpcCaller {
  accountId: string;
  device: DeviceRow;
  ip: string;
  /** Wrong linking codes typed on this socket (LIM-3). */
  codeGuesses: SocketFailureCounter;
}

type Handler<M extends RpcMethod> = (
  s: Services,
  c: RpcCaller,
  p: RpcParsedParams<M>,
) => Promise<RpcResult<M>>;

/**
 * One handler per RPC method. Before calling, the gateway validates params with the method's schema
 * and enforces its `rpcPolicy` entry (phone only, PIN).
 */
export const rpcHandlers: { [M in RpcMethod]: Handler<M> } = {
  'account.get': (s, c) => s.accounts.get(c.accountId),
  'account.setName': (s, c, p) => s.accounts.setName(c.accountId, p.name),
  'account.setIdleLogout': (s, c, p) => s.safety.setIdleLogout(c.accountId, p.days, s.accounts),
  'pin.set': (s, c, p) => s.pins.set(c.accountId, { pin: p.pin, recoveryEmail: p.recoveryEmail }, c.ip),
  'pin.disable': (s, c) => s.pins.disable(c.accountId, c.ip),
  'pin.setRecoveryEmail': (s, c, p) => s.pins.setRecoveryEmail(c.accountId, p.recoveryEmail),
  'pin.confirm': async (s, c) => {
    await s.pins.confirm(c.accountId);
    return {};
  },
  'reminders.get': (s, c) => s.safety.reminders(c.accountId),
  'reminders.dismiss': (s, c, p) => s.safety.dismiss(c.accountId, p.kind),
  'devices.list': async (s, c) => ({ devices: await s.devices.list(c.accountId) }),
  'devices.logout': async (s, c, p) => ({
    device: await s.devices.logoutCompanion(c.accountId, p.deviceId, c.ip),
  }),
  'devices.rename': async (s, c, p) => ({ device: await s.devices.rename(c.accountId, p.deviceId, p.name) }),
  'devices.logoutAll': async (s, c) => ({ count: await s.devices.logoutAllCompanions(c.accountId, c.ip) }),
  'security.list': async (s, c) => ({ events: await s.security.list(c.accountId) }),
  'link.preview': (s, c, p) =>
    s.links.preview({ accountId: c.accountId, device: c.device, ip: c.ip, codeGuesses: c.codeGuesses }, p),
  'link.approve': (s, c, p) => s.links.approve({ accountId: c.accountId, device: c.device, ip: c.ip }, p),
  'link.refuse': async (s, c, p) => {
    await s.links.refuse({ accountId: c.accountId, device: c.device, ip: c.ip }, p.linkId);
    return {};
  },
  'chats.list': async (s, c) => ({ chats: await s.chats.list(c.accountId) }),
  'chats.openDirect': (s, c, p) => s.chats.openDirect(c.accountId, p.phoneNumber),
  'chats.createGroup': (s, c, p) => s.chats.createGroup(c.accountId, p.name, p.phoneNumbers),
  'chats.addMembers': (s, c, p) => s.groups.addMembers(c.accountId, p.chatId, p.phoneNumbers),
  'chats.removeMember': (s, c, p) => s.groups.removeMember(c.accountId, p.chatId, p.accountId),
  'chats.rename': (s, c, p) => s.groups.rename(c.accountId, p.chatId, p.name),
  'chats.leave': async (s, c, p) => {
    await s.groups.leave(c.accountId, p.chatId);
    return {};
  },
  'presence.get': async (s, c, p) => ({ presence: await s.groups.presence(c.accountId, p.accountIds) }),
  'messages.send': (s, c, p) => s.messages.send(c.accountId, c.device.id, p),
  'messages.history': async (s, c, p) => ({
    messages: await s.messages.history(c.accountId, p, s.messages.windowFor(c.device)),
  }),
  'messages.sync': (s, c, p) =>
    s.messages.sync(c.accountId, p.afterId, p.limit, s.messages.windowFor(c.device)),
  'messages.read': async (s, c, p) => {
    await s.receipts.markRead(c.accountId, p.chatId, p.seq);
    return {};
  },
  'typing.set': async (s, c, p) => {
    await s.chats.typing(c.accountId, p.chatId, p.typing);
    return {};
  },
};
