import { webcrypto } from 'node:crypto';
import { type RpcMethod, type RpcParams, rpcMethods, toBase64Url } from '@latch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceSocket } from '../headless/headlessDevice';
import { linkConnected, randomRef, registerPhone, rpcError } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';
import { rpcPolicy } from './rpcPolicy';

const PIN = '482915';
const WRONG_PIN = '193746';
const randomBase64Url = (bytes: number) => toBase64Url(webcrypto.getRandomValues(new Uint8Array(bytes)));

/** Params that pass each guarded method's schema, so only the policy can refuse the call. */
function validParams(
  publicKey: string,
  deviceId: string,
): { [M in RpcMethod]?: (pin: string | undefined) => RpcParams<M> } {
  const linkId = 'link-id-that-does-not-exist';
  return {
    'account.setName': () => ({ name: 'Mallory' }),
    'account.setIdleLogout': () => ({ days: 7 }),
    'pin.set': (pin) => ({ pin: '627381', currentPin: pin }),
    'pin.disable': (pin) => ({ pin: pin ?? '' }),
    'pin.setRecoveryEmail': (pin) => ({ pin: pin ?? '', recoveryEmail: null }),
    'pin.confirm': (pin) => ({ pin: pin ?? '' }),
    'reminders.get': () => ({}),
    'reminders.dismiss': () => ({ kind: 'pin' }),
    'devices.logout': (pin) => ({ deviceId, pin }),
    'devices.rename': () => ({ deviceId, name: 'Mine now' }),
    'devices.logoutAll': (pin) => ({ pin }),
    'link.preview': () => ({ ref: randomRef() }),
    'link.approve': (pin) => ({
      linkId,
      devicePublicKey: publicKey,
      signature: randomBase64Url(64),
      mac: randomBase64Url(32),
      pin,
    }),
    'link.refuse': () => ({ linkId }),
  };
}

/** Sends `method` with its sample params (`pin` in its PIN field). */
function call<M extends RpcMethod>(
  socket: DeviceSocket,
  method: M,
  samples: ReturnType<typeof validParams>,
  pin: string | undefined,
): Promise<unknown> {
  const make = samples[method];
  if (!make) throw new Error(`no sample params for ${method}`);
  return socket.request(method, make(pin));
}

const methods = Object.keys(rpcMethods) as RpcMethod[];
const primaryOnly = methods.filter((m) => rpcPolicy[m].primaryOnly);
const withPin = methods.filter((m) => rpcPolicy[m].pin !== false);

describe('rpcPolicy', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('AUTH-7 every phone-only method is refused to a linked computer with not_primary, before it runs', async () => {
    expect(primaryOnly.length).toBeGreaterThanOrEqual(14);
    t = await startTestServer();
    const phone = await registerPhone(t, '+15550007100');
    const { computer, socket, deviceId } = await linkConnected(t, phone);
    await phone.socket.request('pin.set', { pin: PIN });
    const samples = validParams(computer.publicKey, deviceId);
    for (const method of primaryOnly) {
      expect({ method, code: (await rpcError(call(socket, method, samples, PIN))).code }).toEqual({
        method,
        code: 'not_primary',
      });
    }
    // Nothing ran: the name, the PIN and the computer's session are as they were.
    const account = await phone.socket.request('account.get', {});
    expect(account).toMatchObject({ name: 'Ada', twoStepEnabled: true });
    expect((await socket.request('devices.list', {})).devices.some((d) => d.id === deviceId)).toBe(true);
  });

  it('AUTH-7 PIN-4 with two-step on, each PIN method is refused without the PIN or with a wrong one, and runs nothing', async () => {
    expect(withPin).toEqual([
      'pin.set',
      'pin.disable',
      'pin.setRecoveryEmail',
      'pin.confirm',
      'devices.logout',
      'devices.logoutAll',
      'link.approve',
    ]);
    t = await startTestServer();
    const phone = await registerPhone(t, '+15550007101');
    const { computer, deviceId } = await linkConnected(t, phone);
    await phone.socket.request('pin.set', { pin: PIN });
    const samples = validParams(computer.publicKey, deviceId);
    for (const method of withPin) {
      const optional = rpcMethods[method].params.safeParse(samples[method]?.(undefined)).success;
      const missing = (await rpcError(call(phone.socket, method, samples, undefined))).code;
      expect({ method, missing }).toEqual({
        method,
        missing: optional ? 'pin_required' : 'validation_failed',
      });
      const wrong = (await rpcError(call(phone.socket, method, samples, WRONG_PIN))).code;
      expect({ method, wrong }).toEqual({ method, wrong: 'pin_invalid' });
      // The right PIN resets the count of wrong ones, so the next method is not refused for a lockout.
      await phone.socket.request('pin.confirm', { pin: PIN });
    }
    const { devices } = await phone.socket.request('devices.list', {});
    expect(devices.find((d) => d.id === deviceId)?.status).toBe('active');
    expect(await phone.socket.request('account.get', {})).toMatchObject({ twoStepEnabled: true });
  });
});
