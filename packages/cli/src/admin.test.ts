import fs from 'node:fs';
import path from 'node:path';
import { linkHeadlessComputer, registerHeadlessPhone } from '@latch/client/node';
import { parseConfig } from '@latch/server';
import { startTestServer, type TestServer } from '@latch/server/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listDevices,
  listUsers,
  logoutDevices,
  parseLogout,
  runLogout,
  UsageError,
  withServices,
} from './admin';
import { runLatch } from './runCli';

/** Runs `latch <args>` as its own process on the test server's store, as an operator would. */
async function latch(dataDir: string, ...args: string[]): Promise<string> {
  return (await runLatch({ DATA_DIR: dataDir }, ...args)).stdout;
}

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
    // The running node learns of it through its store sweep (every 0.1 s), not the other process's bus.
    expect(Date.now() - started).toBeLessThan(2_000);
    const after = await withServices(config, (s) => listDevices(s, '+15550000777'));
    expect(after.some((l) => l.includes('logged out (admin)'))).toBe(true);
    expect((await computer.http('GET', '/v1/session?client=web')).status).toBe(401);
  });

  it('OUT-9 `latch logout --all-computers` in its own process closes every computer on the running server; phones stay', async () => {
    const ada = await registerHeadlessPhone(t.url, '+15550000778', 'Ada', t.readCode);
    const bob = await registerHeadlessPhone(t.url, '+15550000779', 'Bob', t.readCode);
    const sockets = [
      await (await linkHeadlessComputer(t.url, ada)).connect(),
      await (await linkHeadlessComputer(t.url, ada)).connect(),
      await (await linkHeadlessComputer(t.url, bob)).connect(),
    ];

    expect(await latch(t.dataDir, 'logout', '--all-computers')).toBe('Logged out 3 devices.');
    for (const socket of sockets) expect(await socket.closed).toEqual({ code: 4403, reason: 'admin' });
    // The phones keep working.
    expect(await ada.socket.request('account.get', {})).toMatchObject({ name: 'Ada' });
    expect(await bob.socket.request('devices.logoutAll', {})).toEqual({ count: 0 });
    const config = parseConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    expect(await withServices(config, listUsers)).toEqual([
      expect.stringContaining('+15550000778\tAda\tdevices=1'),
      expect.stringContaining('+15550000779\tBob\tdevices=1'),
    ]);
    ada.socket.close();
    bob.socket.close();
  });

  it('OUT-9 `latch logout <number> <number> --all` logs out those accounts’ computers and no others', async () => {
    const numbers = ['+15550000781', '+15550000782', '+15550000783'];
    const phones = [];
    for (const number of numbers) phones.push(await registerHeadlessPhone(t.url, number, 'Eve', t.readCode));
    const sockets = [];
    for (const phone of phones) sockets.push(await (await linkHeadlessComputer(t.url, phone)).connect());
    const config = parseConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });

    const cmd = parseLogout({ numbers: numbers.slice(0, 2), all: true });
    expect(await withServices(config, (s) => runLogout(s, cmd))).toBe(2);
    expect(await sockets[0]!.closed).toEqual({ code: 4403, reason: 'admin' });
    expect(await sockets[1]!.closed).toEqual({ code: 4403, reason: 'admin' });
    expect(await phones[2]!.socket.request('devices.logoutAll', {})).toEqual({ count: 1 });
    // A typo among the numbers logs out nobody.
    const typo = parseLogout({ numbers: [numbers[2]!, '+15550009999'], all: true });
    await expect(withServices(config, (s) => runLogout(s, typo))).rejects.toThrow('No account uses');
    for (const phone of phones) phone.socket.close();
  });

  it('OUT-9 `latch logout` takes exactly one of --all, --device or --all-computers', () => {
    expect(parseLogout({ numbers: ['+15550000001'], device: 'd1' })).toEqual({
      kind: 'device',
      number: '+15550000001',
      deviceId: 'd1',
    });
    expect(parseLogout({ numbers: [], allComputers: true })).toEqual({ kind: 'allComputers' });
    const refused = [
      { numbers: ['+15550000001'] },
      { numbers: [], all: true },
      { numbers: ['+15550000001'], all: true, allComputers: true },
      { numbers: ['+15550000001'], allComputers: true },
      { numbers: ['+15550000001', '+15550000002'], device: 'd1' },
    ];
    for (const options of refused) expect(() => parseLogout(options)).toThrow(UsageError);
  });

  it('refuses a malformed or unknown number with a usage error', async () => {
    const config = parseConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    await expect(withServices(config, (s) => listDevices(s, '12345'))).rejects.toBeInstanceOf(UsageError);
    await expect(withServices(config, (s) => listDevices(s, '+15550009999'))).rejects.toThrow(
      'No account uses',
    );
  });

  it('OPS-5 every operator command is an audit line with its outcome; its logouts are audited per device', async () => {
    const ada = await registerHeadlessPhone(t.url, '+15550000791', 'Ada', t.readCode);
    const socket = await (await linkHeadlessComputer(t.url, ada)).connect();
    const audit = path.join(t.dataDir, 'audit', 'audit.jsonl');
    const env = { DATA_DIR: t.dataDir, AUDIT_LOG: audit };

    expect((await runLatch(env, 'logout', '+15550000791', '--all')).stdout).toBe('Logged out 1 device.');
    await socket.closed;
    await expect(runLatch(env, 'devices', '+15550009999')).rejects.toThrow('No account uses');
    const lines = fs
      .readFileSync(audit, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ audit: true, event: 'device_logged_out', reason: 'admin' }),
      expect.objectContaining({
        audit: true,
        event: 'operator_command',
        command: 'logout',
        args: ['+15550000791'],
        options: { all: true },
        outcome: 'ok',
        result: { devicesLoggedOut: 1 },
      }),
      expect.objectContaining({
        event: 'operator_command',
        command: 'devices',
        outcome: 'failed',
        error: 'No account uses +15550009999.',
      }),
    ]);
    ada.socket.close();
  });
});
