import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerHeadlessPhone } from './headless/headlessDevice';
import { linkConnected, randomPhoneNumber, startLoggedServer, waitUntil } from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';

/** The shape every audit line has; parsed, so a missing field fails the test. */
const AuditLine = z.object({
  audit: z.literal(true),
  time: z.union([z.string(), z.number()]),
  event: z.string(),
  accountId: z.string().optional(),
  deviceId: z.string().nullable().optional(),
  deviceName: z.string().nullable().optional(),
  reason: z.string().nullable().optional(),
  ip: z.string().nullable().optional(),
});

function readAudit(file: string) {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => AuditLine.parse(JSON.parse(line)));
}

describe('audit stream', () => {
  let t: TestServer | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await t?.close();
    t = undefined;
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('OPS-4 every security event lands in AUDIT_LOG as one JSON line, and no secret does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-audit-'));
    dirs.push(dir);
    const file = path.join(dir, 'logs', 'audit.jsonl');
    t = await startTestServer({ env: { AUDIT_LOG: file } });
    const server = t;
    const codes: string[] = [];
    const readCode = async (n: string) => {
      const code = await server.readCode(n);
      codes.push(code);
      return code;
    };
    const number = randomPhoneNumber();
    const ada = await registerHeadlessPhone(t.url, number, 'Ada', readCode);
    const adaPhoneId = (await ada.socket.ready).deviceId;
    const bobNumber = randomPhoneNumber();
    const bob = await registerHeadlessPhone(t.url, bobNumber, 'Bob', readCode);

    // A link, a message, a logout from the phone.
    const first = await linkConnected(t, ada);
    const chat = await first.socket.request('chats.openDirect', { phoneNumber: bobNumber });
    const body = 'the falcon flies at dawn';
    await first.socket.request('messages.send', { chatId: chat.id, clientMsgId: 'audit-msg-1', text: body });
    await ada.socket.request('devices.logout', { deviceId: first.deviceId });
    await first.socket.closed;

    // Re-registration on a new phone logs out the old phone and the second computer.
    const second = await linkConnected(t, ada);
    const newPhone = await registerHeadlessPhone(t.url, number, 'Ada', readCode);
    await second.socket.closed;

    // A PIN, then wrong ones until it locks.
    const pin = '739184';
    const wrongPin = '000001';
    await newPhone.socket.request('pin.set', { pin });
    for (let i = 0; i < 5; i++) await newPhone.socket.raw('pin.confirm', { pin: wrongPin });
    for (const s of [newPhone.socket, bob.socket]) s.close();
    await t.close();
    t = undefined;

    const lines = readAudit(file);
    const events = lines.map((l) => l.event);
    expect(events.filter((e) => e === 'registered')).toHaveLength(2);
    expect(events.filter((e) => e === 'device_linked')).toHaveLength(2);
    expect(events).toContain('reregistered');
    expect(events).toContain('pin_set');
    expect(events.filter((e) => e === 'pin_failed')).toHaveLength(4);
    expect(events).toContain('pin_locked');
    const logouts = lines.filter((l) => l.event === 'device_logged_out');
    expect(logouts.map((l) => [l.deviceId, l.reason])).toEqual(
      expect.arrayContaining([
        [first.deviceId, 'phone'],
        [second.deviceId, 'reregistered'],
        [adaPhoneId, 'reregistered'],
      ]),
    );
    const linked = lines.find((l) => l.event === 'device_linked' && l.deviceId === first.deviceId);
    expect(linked).toMatchObject({ accountId: ada.accountId, ip: '127.0.0.1' });
    expect(linked?.deviceName).toMatch(/on/);

    const text = fs.readFileSync(file, 'utf8');
    const secrets = [
      body,
      pin,
      wrongPin,
      ...codes,
      ...[ada, bob, newPhone].map((p) => p.device.sessionCookie!.split('.')[1]!),
      second.computer.sessionCookie!.split('.')[1]!,
    ];
    for (const secret of secrets) expect(text, `audit log holds ${secret}`).not.toContain(secret);
  });

  it('OPS-4 without AUDIT_LOG the audit lines go to the main log, marked audit: true, even at LOG_LEVEL=warn', async () => {
    const logged = await startLoggedServer({ level: 'warn', env: { LOG_LEVEL: 'warn' } });
    try {
      const phone = await registerHeadlessPhone(logged.url, randomPhoneNumber(), 'Ada', logged.readCode);
      await waitUntil(() => logged.logs.some((l) => l.includes('"registered"')));
      const line = AuditLine.parse(JSON.parse(logged.logs.find((l) => l.includes('"registered"'))!));
      expect(line).toMatchObject({ audit: true, event: 'registered', accountId: phone.accountId });
      // Nothing else at info made it through: only the audit stream ignores LOG_LEVEL.
      expect(logged.logs.every((l) => l.includes('"audit":true') || !l.includes('"level":30'))).toBe(true);
      phone.socket.close();
    } finally {
      await logged.close();
    }
  });
});
