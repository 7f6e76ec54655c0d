import type { RpcMethod, RpcParsedParams, RpcResult } from '@latch/protocol';
import { forbidden } from '../errors';
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

function phoneOnly(c: RpcCaller): void {
  if (c.device.kind !== 'primary') throw forbidden('not_primary', 'Only the phone can do this.');
}

/** One handler per RPC method; the gateway validates params with the method's schema before calling. */
export const rpcHandlers: { [M in RpcMethod]: Handler<M> } = {
  'account.get': (s, c) => s.accounts.get(c.accountId),
  'account.setName': async (s, c, p) => {
    phoneOnly(c);
    return s.accounts.setName(c.accountId, p.name);
  },
  'account.setIdleLogout': async (s, c, p) => {
    phoneOnly(c);
    return s.safety.setIdleLogout(c.accountId, p.days, s.accounts);
  },
  'pin.set': async (s, c, p) => {
    phoneOnly(c);
    return s.pins.set(c.accountId, p, c.ip);
  },
  'pin.disable': async (s, c, p) => {
    phoneOnly(c);
    return s.pins.disable(c.accountId, p.pin, c.ip);
  },
  'pin.setRecoveryEmail': async (s, c, p) => {
    phoneOnly(c);
    return s.pins.setRecoveryEmail(c.accountId, p.pin, p.recoveryEmail, c.ip);
  },
  'pin.confirm': async (s, c, p) => {
    phoneOnly(c);
    await s.pins.confirm(c.accountId, p.pin, c.ip);
    return {};
  },
  'reminders.get': async (s, c) => {
    phoneOnly(c);
    return s.safety.reminders(c.accountId);
  },
  'reminders.dismiss': async (s, c, p) => {
    phoneOnly(c);
    return s.safety.dismiss(c.accountId, p.kind);
  },
  'devices.list': async (s, c) => ({ devices: await s.devices.list(c.accountId) }),
  'devices.logout': async (s, c, p) => {
    phoneOnly(c);
    return { device: await s.devices.logoutCompanion(c.accountId, p.deviceId, c.ip, p.pin) };
  },
  'devices.rename': async (s, c, p) => {
    phoneOnly(c);
    return { device: await s.devices.rename(c.accountId, p.deviceId, p.name) };
  },
  'devices.logoutAll': async (s, c, p) => {
    phoneOnly(c);
    return { count: await s.devices.logoutAllCompanions(c.accountId, c.ip, p.pin) };
  },
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
  'messages.send': (s, c, p) => s.chats.send(c.accountId, c.device.id, p),
  'messages.history': async (s, c, p) => ({
    messages: await s.chats.history(c.accountId, p, s.chats.windowFor(c.device)),
  }),
  'messages.sync': (s, c, p) => s.chats.sync(c.accountId, p.afterId, p.limit, s.chats.windowFor(c.device)),
  'messages.read': async (s, c, p) => {
    await s.chats.markRead(c.accountId, p.chatId, p.seq);
    return {};
  },
  'typing.set': async (s, c, p) => {
    await s.chats.typing(c.accountId, p.chatId, p.typing);
    return {};
  },
};
