import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkHeadlessComputer, registerHeadlessPhone } from './headless/headlessDevice';
import { startTestServer, type TestServer } from './testing/testServer';

describe('link and logout, end to end over the real protocol', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  it('LNK-13 a linked computer reconnects with its cookie and key; OUT-1 logout from the phone closes it', async () => {
    const phone = await registerHeadlessPhone(t.url, '+15550000001', 'Ada', t.readCode);
    const computer = await linkHeadlessComputer(t.url, phone);
    const s1 = await computer.connect();
    s1.close();
    const s2 = await computer.connect();
    const ready = await s2.ready;
    expect(ready.account.name).toBe('Ada');
    const { devices } = await phone.socket.request('devices.list', {});
    const companion = devices.find((d) => d.kind === 'companion');
    expect(companion?.name).toBe('Chrome on Linux');
    const started = Date.now();
    await phone.socket.request('devices.logoutAll', {});
    const closed = await s2.closed;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(closed).toEqual({ code: 4403, reason: 'phone' });
    const again = await computer.http('GET', '/v1/session?client=web');
    expect(again.status).toBe(401);
    expect(again.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
  });
});
