import { afterEach, describe, expect, it } from 'vitest';
import { httpCall, linkConnected, randomPhoneNumber, registerPhone, waitUntil } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const TOKEN = 'test-metrics-token-0123456789';

/** `name{labels} value` lines of a Prometheus text exposition, keyed by `name{labels}`. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    out.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return out;
}

async function scrape(t: TestServer): Promise<Map<string, number>> {
  const res = await httpCall(t.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return samples(res.text);
}

describe('operations endpoints', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('OPS-1 /metrics does not exist without METRICS_TOKEN, and needs exactly that bearer token', async () => {
    t = await startTestServer();
    expect((await httpCall(t.url, 'GET', '/metrics')).status).toBe(404);
    expect(
      (await httpCall(t.url, 'GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(404);
    await t.close();

    t = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
    const refused: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer' },
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const headers of refused) {
      const res = await httpCall(t.url, 'GET', '/metrics', { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json).toMatchObject({ error: { code: 'unauthorized' } });
      expect(res.text).not.toContain('latch_');
    }
    const ok = await scrape(t);
    expect(ok.get('latch_build_info{version="0.1.0"}')).toBe(1);
    // Node's own series come with it, event-loop lag among them.
    expect([...ok.keys()].some((k) => k.startsWith('nodejs_eventloop_lag_seconds'))).toBe(true);
  });

  it('OPS-2 a send, a logout, a refused rate limit and a PIN lockout move their series on a real server', async () => {
    t = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
    const before = await scrape(t);
    expect(before.get('latch_messages_sent_total')).toBe(0);
    expect(before.get('latch_logouts_total{reason="phone"}')).toBe(0);
    expect(before.get('latch_rate_limit_refusals_total{site="http"}')).toBe(0);

    const ada = await registerPhone(t, randomPhoneNumber(), 'Ada');
    const bobNumber = randomPhoneNumber();
    const bob = await registerPhone(t, bobNumber, 'Bob');
    const computer = await linkConnected(t, ada);
    let now = await scrape(t);
    expect(now.get('latch_sockets{kind="primary"}')).toBe(2);
    expect(now.get('latch_sockets{kind="companion"}')).toBe(1);
    expect(now.get('latch_handshakes_total{result="ok"}')).toBe(3);

    // A message: stored once, written to Bob's phone and to Ada's phone and computer.
    const chat = await computer.socket.request('chats.openDirect', { phoneNumber: bobNumber });
    const sent = await computer.socket.request('messages.send', {
      chatId: chat.id,
      clientMsgId: 'metrics-1',
      text: 'hi',
    });
    await bob.socket.waitFor('message', (f) => f.message.id === sent.id);
    await waitUntil(async () => (await scrape(t!)).get('latch_messages_delivered_total') === 3);
    now = await scrape(t);
    expect(now.get('latch_messages_sent_total')).toBe(1);
    expect(now.get('latch_message_send_seconds_count')).toBe(1);
    expect(now.get('latch_store_query_seconds_count')).toBeGreaterThan(
      before.get('latch_store_query_seconds_count')!,
    );

    // The phone logs the computer out.
    await ada.socket.request('devices.logout', { deviceId: computer.deviceId });
    await computer.socket.closed;
    now = await scrape(t);
    expect(now.get('latch_logouts_total{reason="phone"}')).toBe(1);
    expect(now.get('latch_security_events_total{type="device_logged_out"}')).toBe(1);
    expect(now.get('latch_sockets{kind="companion"}')).toBe(0);

    // A second code for the same number at once is refused (REG-4).
    const number = randomPhoneNumber();
    expect(
      (await httpCall(t.url, 'POST', '/v1/register/code', { body: { phoneNumber: number } })).status,
    ).toBe(200);
    const again = await httpCall(t.url, 'POST', '/v1/register/code', { body: { phoneNumber: number } });
    expect(again.status).toBe(429);
    expect((await scrape(t)).get('latch_rate_limit_refusals_total{site="http"}')).toBe(1);

    // Five wrong PINs in a row lock two-step verification (PIN-3).
    await ada.socket.request('pin.set', { pin: '275913' });
    for (let i = 0; i < 5; i++) await ada.socket.raw('pin.confirm', { pin: '000001' });
    now = await scrape(t);
    expect(now.get('latch_pin_lockouts_total')).toBe(1);
    expect(now.get('latch_security_events_total{type="pin_failed"}')).toBe(4);

    // The logged-out computer's cookie opens nothing: a failed handshake.
    await expect(computer.computer.connect()).rejects.toThrow();
    await waitUntil(async () => (await scrape(t!)).get('latch_handshakes_total{result="failed"}') === 1);
    for (const s of [ada.socket, bob.socket]) s.close();
    await waitUntil(async () => (await scrape(t!)).get('latch_sockets{kind="primary"}') === 0);
  });

  it('OPS-3 /readyz answers 200 while the store and the bus answer; /healthz is liveness only', async () => {
    t = await startTestServer();
    const ready = await httpCall(t.url, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: 'ready', store: 'ok', bus: 'ok' });
    expect((await httpCall(t.url, 'GET', '/healthz')).json).toMatchObject({ status: 'ok' });
  });
});
