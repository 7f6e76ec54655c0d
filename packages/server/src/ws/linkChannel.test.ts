import { createHash } from 'node:crypto';
import { LINK_CODE_TTL_MS } from '@latch/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import { approveLink, HeadlessDevice, LinkAttempt } from '../headless/headlessDevice';
import {
  claim,
  countRows,
  queryDb,
  RawSocket,
  randomRef,
  registerPhone,
  rpcError,
  type StartedLink,
  sleep,
  startLink,
  waitUntil,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';
import { LINK_START_TIMEOUT_MS, TOO_MANY_LINK_CHANNELS, TOO_MANY_LINK_STARTS } from './linkChannel';

const NUMBER = '+15550004000';
const ROTATION = { LINK_FIRST_REF_TTL_MS: '300', LINK_REF_TTL_MS: '150', LINK_MAX_REFS: '3' };

describe('/v1/link channel', () => {
  let t: TestServer | undefined;
  const links: StartedLink[] = [];
  afterEach(async () => {
    for (const l of links.splice(0)) l.attempt.ws.terminate();
    await t?.close();
    t = undefined;
  });

  async function started(opts: { keepSignedIn?: boolean } = {}): Promise<StartedLink> {
    const l = await startLink(t!, opts);
    links.push(l);
    return l;
  }

  describe('QR refs', () => {
    it('LNK-1 refs rotate: the first lives longer, later ones shorter, then link.expired and close 4410', async () => {
      t = await startTestServer({ env: ROTATION });
      const computer = await HeadlessDevice.create(t.url, 'web');
      const attempt = new LinkAttempt(computer);
      const arrived: number[] = [];
      attempt.ws.on('message', () => arrived.push(Date.now()));
      await attempt.open();
      attempt.send({ type: 'link.start', publicKey: computer.publicKey, keepSignedIn: true });
      await attempt.next('link.expired');
      const closed = await attempt.closed;
      expect(closed).toEqual({ code: 4410, reason: 'Link attempt expired' });
      const refs = attempt.frames.filter((f) => f.type === 'link.ref');
      expect(refs).toEqual([
        { type: 'link.ref', ref: expect.any(String), expiresInMs: 300, index: 1, max: 3 },
        { type: 'link.ref', ref: expect.any(String), expiresInMs: 150, index: 2, max: 3 },
        { type: 'link.ref', ref: expect.any(String), expiresInMs: 150, index: 3, max: 3 },
      ]);
      expect(attempt.frames.map((f) => f.type)).toEqual(['link.ref', 'link.ref', 'link.ref', 'link.expired']);
      // Each ref is replaced when its own TTL runs out, not before (with room for delivery jitter).
      const gaps = arrived.slice(1).map((at, i) => at - arrived[i]!);
      expect(gaps[0]).toBeGreaterThanOrEqual(250);
      expect(gaps[1]).toBeGreaterThanOrEqual(100);
      expect(gaps[2]).toBeGreaterThanOrEqual(100);
      expect(arrived.at(-1)! - arrived[0]!).toBeGreaterThanOrEqual(580);
      const values = refs.map((r) => r.ref);
      expect(new Set(values).size).toBe(3);
      for (const v of values) expect(Buffer.from(v, 'base64url')).toHaveLength(16);
    });

    it('LNK-1 only a hash of each ref is stored', async () => {
      t = await startTestServer();
      const l = await started();
      const rows = queryDb<{ ref_hash: string }>(t, 'select ref_hash from link_refs');
      expect(rows).toEqual([{ ref_hash: createHash('sha256').update(l.ref).digest('base64url') }]);
      expect(JSON.stringify(queryDb(t, 'select * from link_sessions'))).not.toContain(l.ref);
    });

    it('LNK-1 a scan pauses the rotation while the phone decides, and the scanned ref stays valid', async () => {
      t = await startTestServer({ env: { ...ROTATION, LINK_FIRST_REF_TTL_MS: '1000' } });
      const phone = await registerPhone(t, NUMBER);
      const startedAt = Date.now();
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      await l.attempt.next('link.scanned');
      // Well past the first ref's TTL: without the pause a second ref would have come.
      await sleep(Math.max(0, startedAt + 1400 - Date.now()));
      expect(l.attempt.frames.filter((f) => f.type === 'link.ref')).toHaveLength(1);
      expect(l.attempt.frames.some((f) => f.type === 'link.expired')).toBe(false);
      await approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret);
      const approved = await l.attempt.next('link.approved');
      expect((await claim(l.computer, approved.claimCode)).status).toBe(200);
      expect(await l.attempt.closed).toEqual({ code: 4411, reason: 'Linked' });
    });

    it('LNK-1 the phone declining starts over with fresh refs', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      await phone.socket.request('link.refuse', { linkId: preview.linkId });
      const error = await l.attempt.next('link.error');
      expect(error.error.code).toBe('forbidden');
      const fresh = await l.attempt.next('link.ref', 1);
      expect(fresh.index).toBe(1);
      expect(fresh.ref).not.toBe(l.ref);
    });

    it('LNK-3 an expired ref is ref_expired, an unknown one ref_unknown, one whose browser left ref_expired', async () => {
      const clock = new ManualClock();
      t = await startTestServer({ clock });
      const phone = await registerPhone(t, NUMBER);
      expect((await rpcError(phone.socket.request('link.preview', { ref: randomRef() }))).code).toBe(
        'ref_unknown',
      );

      const l = await started();
      clock.advance(60_000);
      expect((await rpcError(phone.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_expired');

      const gone = await started();
      gone.attempt.ws.close();
      await gone.attempt.closed;
      await waitUntil(() => countRows(t!, 'link_sessions', "state = 'closed'") === 1);
      expect((await rpcError(phone.socket.request('link.preview', { ref: gone.ref }))).code).toBe(
        'ref_expired',
      );
      expect(l.attempt.frames.some((f) => f.type === 'link.scanned')).toBe(false);
    });

    it('IN-2 a link channel that never sends link.start is closed with 4400 when its 10 s timer fires', async () => {
      t = await startTestServer();
      const scheduled: number[] = [];
      const realSetTimeout = globalThis.setTimeout;
      const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
        scheduled.push(ms ?? 0);
        return realSetTimeout(fn, ms === LINK_START_TIMEOUT_MS ? 100 : ms);
      }) as typeof setTimeout);
      try {
        const idle = new RawSocket(t.url, '/v1/link');
        expect(await idle.upgrade).toBe('open');
        expect(await idle.closed).toEqual({ code: 4400, reason: 'Send link.start first' });
      } finally {
        spy.mockRestore();
      }
      expect(LINK_START_TIMEOUT_MS).toBe(10_000);
      expect(scheduled).toContain(LINK_START_TIMEOUT_MS);
      expect(countRows(t, 'link_sessions')).toBe(0);
    });

    it('IN-2 link.byPhone before link.start, a second link.start or a bad frame close the channel with 4400', async () => {
      t = await startTestServer();
      const early = new RawSocket(t.url, '/v1/link');
      await early.upgrade;
      early.send(JSON.stringify({ type: 'link.byPhone', phoneNumber: NUMBER }));
      expect(await early.closed).toEqual({ code: 4400, reason: 'Not linking' });

      const l = await started();
      l.attempt.send({ type: 'link.start', publicKey: l.computer.publicKey, keepSignedIn: true });
      expect(await l.attempt.closed).toEqual({ code: 4400, reason: 'Already started' });

      const bad = await started();
      bad.attempt.send({ type: 'link.start', publicKey: 'not-a-key', keepSignedIn: true });
      const closed = await bad.attempt.closed;
      expect(closed.code).toBe(4400);
      expect(closed.reason).toMatch(/^Invalid frame: /);
    });
  });

  describe('by phone number', () => {
    it('LNK-11 link.byPhone gives an 8-character code for 3 minutes and prompts the phone; the code links', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const before = Date.now();
      l.attempt.send({ type: 'link.byPhone', phoneNumber: NUMBER });
      const frame = await l.attempt.next('link.code');
      expect(frame.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
      expect(frame.expiresInMs).toBe(LINK_CODE_TTL_MS);
      const prompt = await phone.socket.waitFor('link.prompt');
      expect(prompt.expiresAt).toBeGreaterThanOrEqual(before + LINK_CODE_TTL_MS);
      expect(prompt.expiresAt).toBeLessThanOrEqual(Date.now() + LINK_CODE_TTL_MS);
      // Only a hash of the code is stored.
      expect(JSON.stringify(queryDb(t, 'select * from link_sessions'))).not.toContain(frame.code);

      // People type it with a dash and in lower case.
      const typed = `${frame.code.slice(0, 4)}-${frame.code.slice(4)}`.toLowerCase();
      const preview = await phone.socket.request('link.preview', { code: typed });
      expect(preview.devicePublicKey).toBe(l.computer.publicKey);
      await l.attempt.next('link.scanned');
      await approveLink(phone, preview.linkId, l.computer.publicKey, new TextEncoder().encode(frame.code));
      const approved = await l.attempt.next('link.approved');
      expect((await claim(l.computer, approved.claimCode)).status).toBe(200);
      const session = await l.computer.http('GET', '/v1/session?client=web');
      expect(session.status).toBe(200);
    });

    it('LNK-11 an unregistered number is not_registered, and the channel stays usable', async () => {
      t = await startTestServer();
      await registerPhone(t, NUMBER);
      const l = await started();
      l.attempt.send({ type: 'link.byPhone', phoneNumber: '+15559999999' });
      const error = await l.attempt.next('link.error');
      expect(error.error.code).toBe('not_registered');
      l.attempt.send({ type: 'link.byPhone', phoneNumber: NUMBER });
      expect((await l.attempt.next('link.code')).code).toHaveLength(8);
      l.attempt.send({ type: 'link.useQr' });
      const ref = await l.attempt.next('link.ref', 1);
      expect(ref.index).toBe(1);
      expect(countRows(t, 'link_sessions', 'code_hash is not null')).toBe(0);
    });

    it('LNK-11 a code is for its own account only, single use after approval, and expires after 3 minutes', async () => {
      const clock = new ManualClock();
      t = await startTestServer({ clock });
      const phone = await registerPhone(t, NUMBER);
      const other = await registerPhone(t, '+15550004001', 'Eve');
      const l = await started();
      l.attempt.send({ type: 'link.byPhone', phoneNumber: NUMBER });
      const { code } = await l.attempt.next('link.code');
      expect((await rpcError(other.socket.request('link.preview', { code }))).code).toBe('ref_unknown');
      clock.advance(LINK_CODE_TTL_MS);
      expect((await rpcError(phone.socket.request('link.preview', { code }))).code).toBe('ref_expired');
      expect(l.attempt.frames.some((f) => f.type === 'link.scanned')).toBe(false);
    });

    it('LNK-11 codes are limited per number (5 an hour) and per IP (10 an hour)', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      for (let i = 0; i < 5; i++) {
        l.attempt.send({ type: 'link.byPhone', phoneNumber: NUMBER });
        await l.attempt.next('link.code', i);
      }
      l.attempt.send({ type: 'link.byPhone', phoneNumber: NUMBER });
      const limited = await l.attempt.next('link.error');
      expect(limited.error.code).toBe('rate_limited');
      expect(limited.error.retryAfterMs).toBeGreaterThan(0);
      // The phone was prompted five times, not six.
      await sleep(100);
      expect(phone.socket.frames.filter((f) => f.type === 'link.prompt')).toHaveLength(5);

      // The same IP, other numbers: five more tries reach the per-IP cap of ten.
      for (let i = 0; i < 4; i++) {
        l.attempt.send({ type: 'link.byPhone', phoneNumber: `+1555000500${i}` });
        await l.attempt.next('link.error', 1 + i);
      }
      expect(
        l.attempt.frames
          .filter((f) => f.type === 'link.error')
          .map((f) => f.type === 'link.error' && f.error.code),
      ).toEqual(['rate_limited', 'not_registered', 'not_registered', 'not_registered', 'not_registered']);
      l.attempt.send({ type: 'link.byPhone', phoneNumber: '+15550005009' });
      const ipLimited = await l.attempt.next('link.error', 5);
      expect(ipLimited.error.code).toBe('rate_limited');
    });
  });

  describe('per-IP caps', () => {
    it('LIM-4 one IP holds at most LINK_CHANNELS_PER_IP link channels open; the next is closed with 4429; a closed one frees its place', async () => {
      t = await startTestServer({ env: { LINK_CHANNELS_PER_IP: '3' } });
      const open = await Promise.all(Array.from({ length: 3 }, () => started()));
      const refused = new RawSocket(t.url, '/v1/link');
      expect(await refused.closed).toEqual({ code: 4429, reason: TOO_MANY_LINK_CHANNELS });
      // The open ones are not disturbed: each still gets its next ref.
      for (const l of open) expect((await l.attempt.next('link.ref')).index).toBe(1);
      expect(t.server.conns.linkChannelsOf('127.0.0.1')).toBe(3);
      open[0]!.attempt.ws.close();
      await waitUntil(() => t!.server.conns.linkChannelsOf('127.0.0.1') === 2);
      const again = await started();
      expect(again.ref).toEqual(expect.any(String));
      for (const l of links.splice(0)) l.attempt.ws.close();
      await waitUntil(() => t!.server.conns.linkChannelsOf('127.0.0.1') === 0);
    });

    it('LIM-4 one IP begins at most LINK_STARTS_PER_IP_PER_MINUTE link attempts a minute (counted in the store); the next gets rate_limited and 4429', async () => {
      const clock = new ManualClock();
      t = await startTestServer({ clock, env: { LINK_STARTS_PER_IP_PER_MINUTE: '3' } });
      for (let i = 0; i < 3; i++) (await started()).attempt.ws.close();
      const computer = await HeadlessDevice.create(t.url, 'web');
      const attempt = new LinkAttempt(computer);
      await attempt.open();
      attempt.send({ type: 'link.start', publicKey: computer.publicKey, keepSignedIn: true });
      const error = await attempt.next('link.error');
      expect(error.error).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000 });
      expect(await attempt.closed).toEqual({ code: 4429, reason: TOO_MANY_LINK_STARTS });
      expect(countRows(t, 'link_sessions')).toBe(3);
      clock.advance(60_000);
      expect((await started()).ref).toEqual(expect.any(String));
    });
  });
});
