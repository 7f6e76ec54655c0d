import { afterEach, describe, expect, it } from 'vitest';
import { linkConnected, registerPhone, rpcError } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const A = '+15550006100';
const B = '+15550006101';

describe('devices.rename', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('DEV-1 the phone names a linked computer; the list shows the name, keeps browser and OS, and every device of the account hears of it', async () => {
    t = await startTestServer();
    const phone = await registerPhone(t, A);
    const { deviceId } = await linkConnected(t, phone);
    const changed = phone.socket.waitFor('devices.changed');
    const { device } = await phone.socket.request('devices.rename', { deviceId, name: '  Work laptop ' });
    expect(device).toMatchObject({
      id: deviceId,
      name: 'Work laptop',
      browser: expect.any(String),
      os: expect.any(String),
    });
    await changed;
    const { devices } = await phone.socket.request('devices.list', {});
    expect(devices.find((d) => d.id === deviceId)?.name).toBe('Work laptop');
  });

  it('DEV-1 only the phone may rename, only its own account’s computers, and the name is validated', async () => {
    t = await startTestServer();
    const phone = await registerPhone(t, A);
    const { deviceId, socket: computer } = await linkConnected(t, phone);
    expect((await rpcError(computer.request('devices.rename', { deviceId, name: 'Mine now' }))).code).toBe(
      'not_primary',
    );
    const stranger = await registerPhone(t, B);
    expect(
      (await rpcError(stranger.socket.request('devices.rename', { deviceId, name: 'Stolen' }))).code,
    ).toBe('not_found');
    expect((await rpcError(phone.socket.request('devices.rename', { deviceId, name: '   ' }))).code).toBe(
      'validation_failed',
    );
    const { devices } = await phone.socket.request('devices.list', {});
    const primary = devices.find((d) => d.kind === 'primary')?.id ?? '';
    expect(
      (await rpcError(phone.socket.request('devices.rename', { deviceId: primary, name: 'Phone' }))).code,
    ).toBe('forbidden');
    expect(devices.find((d) => d.id === deviceId)?.name).toMatch(/ on /);
  });
});
