import { parseConfig } from '@latch/server';
import { linkHeadlessComputer, registerHeadlessPhone } from '@latch/server/headless';
import { startTestServer, type TestServer } from '@latch/server/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDevices, listUsers, logoutDevices, UsageError, withServices } from './admin';

describe('latch admin commands', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  it('OUT-1 `latch logout <number> --all` from another process closes the running server’s sockets', async () => {
    const phone = await registerHeadlessPhone(t.url, '+15550000777', 'Grace', t.readCode);
    const computer = await linkHeadlessComputer(t.url, phone);
    const socket = await computer.connect();
    // The CLI opens its own store connection and bus, exactly as a separate `latch` process would.
    const config = parseConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const users = await withServices(config, listUsers);
    expect(users).toHaveLength(1);
    expect(users[0]).toContain('+15550000777\tGrace\tdevices=2');
    const before = await withServices(config, (s) => listDevices(s, '+15550000777'));
    expect(before.some((l) => l.includes('companion') && l.includes('Chrome on Linux'))).toBe(true);

    const started = Date.now();
    expect(await withServices(config, (s) => logoutDevices(s, '+15550000777', undefined))).toBe(1);
    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4403, reason: 'admin' });
    // The running node learns of it through its store sweep (every 0.5 s), not the other process's bus.
    expect(Date.now() - started).toBeLessThan(2_000);
    const after = await withServices(config, (s) => listDevices(s, '+15550000777'));
    expect(after.some((l) => l.includes('logged out (admin)'))).toBe(true);
    expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(401);
  });

  it('refuses a malformed or unknown number with a usage error', async () => {
    const config = parseConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    await expect(withServices(config, (s) => listDevices(s, '12345'))).rejects.toBeInstanceOf(UsageError);
    await expect(withServices(config, (s) => listDevices(s, '+15550009999'))).rejects.toThrow(
      'No account uses',
    );
  });
});
