import type { RpcMethod, RpcParsedParams } from '@latch/protocol';
import { forbidden } from '../errors';
import type { Services } from '../services/services';
import type { RpcCaller } from './rpcHandlers';

/** The params of `M` that carry a two-step verification PIN (none for most methods). */
type PinField<M extends RpcMethod> = Extract<keyof RpcParsedParams<M>, 'pin' | 'currentPin'>;

/** Who may call one RPC method, declared beside every other method's (STYLE 13). */
export interface RpcPolicy<M extends RpcMethod> {
  /** Only the account's phone may call it; a linked computer is refused with `not_primary`. */
  primaryOnly: boolean;
  /**
   * The param holding the PIN the call needs when the account has two-step verification on (PIN-1),
   * or `false`. The PIN is reserved in the store before it is compared (LIM-1, `PinService.require`).
   */
  pin: false | PinField<M>;
}

const open = { primaryOnly: false, pin: false } as const;
const phoneOnly = { primaryOnly: true, pin: false } as const;
const phoneWithPin = { primaryOnly: true, pin: 'pin' } as const;

/**
 * Every method's entry: a method added to `rpcMethods` without one here does not compile. The
 * gateway enforces it before any handler runs ({@link enforceRpcPolicy}).
 */
export const rpcPolicy: { [M in RpcMethod]: RpcPolicy<M> } = {
  'account.get': open,
  'account.setName': phoneOnly,
  'account.setIdleLogout': phoneOnly,
  // Turning two-step on needs no PIN; changing it needs the current one.
  'pin.set': { primaryOnly: true, pin: 'currentPin' },
  'pin.disable': phoneWithPin,
  'pin.setRecoveryEmail': phoneWithPin,
  'pin.confirm': phoneWithPin,
  'reminders.get': phoneOnly,
  'reminders.dismiss': phoneOnly,
  'devices.list': open,
  'devices.logout': phoneWithPin,
  'devices.rename': phoneOnly,
  'devices.logoutAll': phoneWithPin,
  'security.list': open,
  'link.preview': phoneOnly,
  'link.approve': phoneWithPin,
  'link.refuse': phoneOnly,
  'chats.list': open,
  'chats.openDirect': open,
  'chats.createGroup': open,
  'chats.addMembers': open,
  'chats.removeMember': open,
  'chats.rename': open,
  'chats.leave': open,
  'presence.get': open,
  'messages.send': open,
  'messages.history': open,
  'messages.sync': open,
  'messages.read': open,
  'typing.set': open,
};

/** Refuses the call if the caller may not make it: before the handler, so no handler repeats it. */
export async function enforceRpcPolicy<M extends RpcMethod>(
  method: M,
  services: Services,
  caller: RpcCaller,
  params: RpcParsedParams<M>,
): Promise<void> {
  const policy: RpcPolicy<M> = rpcPolicy[method];
  if (policy.primaryOnly && caller.device.kind !== 'primary') {
    throw forbidden('not_primary', 'Only the phone can do this.');
  }
  if (policy.pin === false) return;
  const pin: unknown = params[policy.pin];
  await services.pins.requireIfEnabled(
    caller.accountId,
    typeof pin === 'string' ? pin : undefined,
    caller.ip,
  );
}
