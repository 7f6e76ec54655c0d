import { createHmac } from 'node:crypto';
import { approvalMessage, linkMacMessage } from '@latch/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { verifyDeviceSignature } from '../crypto';
import { approveLink, HeadlessDevice } from '../headless/headlessDevice';
import {
  approveStarted,
  claim,
  countRows,
  errorOf,
  linkConnected,
  type Phone,
  queryDb,
  registerPhone,
  rpcError,
  type StartedLink,
  startLink,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';
import { CLAIM_TTL_MS } from './link.service';
import { SHARED_ABSOLUTE_MS, SHARED_IDLE_MS } from './session.service';

const NUMBER = '+15550005000';

describe('linking a computer', () => {
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

  const companions = (s: TestServer) => countRows(s, 'devices', "kind = 'companion' and revoked_at is null");

  describe('approval', () => {
    it('LNK-2 a ref is single use; a replayed approval is ref_used and logs out what the first one produced', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      const signature = await phone.device.sign(approvalMessage(preview.linkId, l.computer.publicKey));
      const mac = createHmac('sha256', l.linkSecret)
        .update(linkMacMessage(l.computer.publicKey, phone.device.publicKey))
        .digest('base64url');
      const params = { linkId: preview.linkId, devicePublicKey: l.computer.publicKey, signature, mac };
      const first = await phone.socket.request('link.approve', params);
      const approved = await l.attempt.next('link.approved');
      expect(approved.deviceId).toBe(first.deviceId);
      expect((await claim(l.computer, approved.claimCode)).status).toBe(200);
      const socket = await l.computer.connect();

      expect((await rpcError(phone.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_used');
      expect((await rpcError(phone.socket.request('link.approve', params))).code).toBe('ref_used');
      expect(await socket.closed).toEqual({ code: 4403, reason: 'replayed' });
      expect(socket.frames).toContainEqual({ type: 'logged_out', reason: 'replayed' });
      const { devices } = await phone.socket.request('devices.list', {});
      expect(devices.find((d) => d.id === first.deviceId)).toMatchObject({
        status: 'logged_out',
        logoutReason: 'replayed',
      });
      expect(countRows(t, 'devices', "kind = 'companion'")).toBe(1);
    });

    it('LNK-2 two approvals of one link racing each other: exactly one creates a device', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      const results = await Promise.allSettled([
        approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret),
        approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected');
      expect(loser?.status === 'rejected' && (loser.reason as { code?: unknown }).code).toBe('ref_used');
      expect(countRows(t, 'devices', "kind = 'companion'")).toBe(1);
      const sessions = queryDb<{ device_id: string }>(t, 'select device_id from link_sessions');
      const devices = queryDb<{ id: string }>(t, "select id from devices where kind = 'companion'");
      expect(sessions.map((s) => s.device_id)).toEqual(devices.map((d) => d.id));
      // The second approval is a replay like any other: the device the first produced is logged out.
      const [row] = queryDb<{ revoked_reason: string | null }>(
        t,
        "select revoked_reason from devices where kind = 'companion'",
      );
      expect(row?.revoked_reason).toBe('replayed');
      await l.attempt.next('link.approved');
      await l.attempt.closed;
      expect(l.attempt.frames.filter((f) => f.type === 'link.approved')).toHaveLength(1);
    });

    it('LNK-4 an approval for a key other than the one the browser registered is signature_invalid; nothing is created', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      const attacker = await HeadlessDevice.create(t.url, 'web');
      const err = await rpcError(approveLink(phone, preview.linkId, attacker.publicKey, l.linkSecret));
      expect(err.code).toBe('signature_invalid');
      expect(countRows(t, 'devices')).toBe(1);
      expect(countRows(t, 'link_sessions', "state = 'waiting'")).toBe(1);
      expect(countRows(t, 'link_refs', 'used_at is not null')).toBe(0);
      expect(l.attempt.frames.some((f) => f.type === 'link.approved')).toBe(false);
      // The genuine approval still works afterwards.
      await approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret);
      await l.attempt.next('link.approved');
    });

    it('LNK-5 only the primary device can preview or approve (not_primary)', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const computer = await linkConnected(t, phone);
      const l = await started();
      const asCompanion = { device: computer.computer, socket: computer.socket };
      expect((await rpcError(computer.socket.request('link.preview', { ref: l.ref }))).code).toBe(
        'not_primary',
      );
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      expect(
        (await rpcError(approveLink(asCompanion, preview.linkId, l.computer.publicKey, l.linkSecret))).code,
      ).toBe('not_primary');
      expect(companions(t)).toBe(1);
      expect((await rpcError(computer.socket.request('devices.logoutAll', {}))).code).toBe('not_primary');
    });

    it('LNK-6 the fifth computer is refused with device_limit, listing the devices to remove', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const linked: string[] = [];
      for (let i = 0; i < 4; i++) linked.push((await linkConnected(t, phone)).deviceId);
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      const err = await rpcError(approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret));
      expect(err.code).toBe('device_limit');
      const devices = (err.details as { details?: { devices?: Array<{ id: string; name: string }> } }).details
        ?.devices;
      expect(devices?.map((d) => d.id).sort()).toEqual([...linked].sort());
      expect(devices?.every((d) => d.name === 'Chrome on Linux')).toBe(true);
      expect(companions(t)).toBe(4);

      // Logging one out frees a slot.
      await phone.socket.request('devices.logout', { deviceId: linked[0]! });
      await approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret);
      await l.attempt.next('link.approved');
      expect(companions(t)).toBe(4);
    });

    it('LNK-6 two approvals racing for the last slot: exactly one wins', async () => {
      t = await startTestServer({ env: { MAX_COMPANIONS: '2' } });
      const phone = await registerPhone(t, NUMBER);
      await linkConnected(t, phone);
      const a = await started();
      const b = await started();
      const pa = await phone.socket.request('link.preview', { ref: a.ref });
      const pb = await phone.socket.request('link.preview', { ref: b.ref });
      const results = await Promise.allSettled([
        approveLink(phone, pa.linkId, a.computer.publicKey, a.linkSecret),
        approveLink(phone, pb.linkId, b.computer.publicKey, b.linkSecret),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const loser = results.find((r) => r.status === 'rejected');
      expect(loser?.status === 'rejected' && (loser.reason as { code?: unknown }).code).toBe('device_limit');
      expect(companions(t)).toBe(2);
    });

    it('LNK-7 an approval not signed by the account key over (linkId, deviceKey) is signature_invalid', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const preview = await phone.socket.request('link.preview', { ref: l.ref });
      const mac = createHmac('sha256', l.linkSecret).update('x').digest('base64url');
      const base = { linkId: preview.linkId, devicePublicKey: l.computer.publicKey, mac };
      const stranger = await HeadlessDevice.create(t.url, 'phone');
      const bad = [
        await stranger.sign(approvalMessage(preview.linkId, l.computer.publicKey)),
        await l.computer.sign(approvalMessage(preview.linkId, l.computer.publicKey)),
        await phone.device.sign(approvalMessage('someOtherLinkId', l.computer.publicKey)),
        await phone.device.sign(`latch/ws-auth/v1:${preview.linkId}`),
        'A'.repeat(86),
      ];
      for (const signature of bad) {
        expect((await rpcError(phone.socket.request('link.approve', { ...base, signature }))).code).toBe(
          'signature_invalid',
        );
      }
      expect(countRows(t, 'devices')).toBe(1);
      expect(countRows(t, 'link_sessions', "state = 'waiting'")).toBe(1);
    });

    it('LNK-9 the browser gets the phone MAC, signature and identity key unchanged, and can verify them', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const l = await started();
      const approved = await approveStarted(phone, l);
      expect(approved.account).toEqual({
        name: 'Ada',
        phoneNumber: NUMBER,
        identityKey: phone.device.publicKey,
      });
      const expectedMac = createHmac('sha256', l.linkSecret)
        .update(linkMacMessage(l.computer.publicKey, approved.account.identityKey))
        .digest('base64url');
      expect(approved.mac).toBe(expectedMac);
      const [row] = queryDb<{ id: string }>(t, 'select id from link_sessions');
      expect(
        verifyDeviceSignature(
          approved.account.identityKey,
          approvalMessage(row!.id, l.computer.publicKey),
          approved.signature,
        ),
      ).toBe(true);
    });

    it('LNK-12 a link is a security event pushed live to the phone and to the other linked devices', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const first = await linkConnected(t, phone);
      const l = await started();
      const approved = await approveStarted(phone, l);
      for (const socket of [phone.socket, first.socket]) {
        const e = await socket.waitFor('security.event', (f) => f.event.deviceId === approved.deviceId);
        expect(e.event).toMatchObject({
          type: 'device_linked',
          deviceName: 'Chrome on Linux',
          ip: '127.0.0.1',
        });
      }
      const { events } = await phone.socket.request('security.list', {});
      expect(events.filter((e) => e.type === 'device_linked')).toHaveLength(2);
    });
  });

  describe('claim', () => {
    async function approvedLink(phone: Phone, opts: { keepSignedIn?: boolean } = {}) {
      const l = await started(opts);
      return { l, approved: await approveStarted(phone, l) };
    }

    it('LNK-8 the claim code is single use', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const { l, approved } = await approvedLink(phone);
      const first = await claim(l.computer, approved.claimCode);
      expect(first.status).toBe(200);
      expect(first.json).toEqual({ deviceId: approved.deviceId });
      const cookie = l.computer.sessionCookie;
      const second = await claim(l.computer, approved.claimCode);
      expect(second.status).toBe(401);
      expect(errorOf(second.json)?.code).toBe('claim_invalid');
      // The first session is untouched by the failed second claim.
      expect(second.headers.getSetCookie()).toEqual([]);
      expect(l.computer.sessionCookie).toBe(cookie);
      expect((await l.computer.http('GET', '/v1/session?client=web')).status).toBe(200);
    });

    it('LNK-8 a claim signed by any key but the QR key is claim_invalid; the right key still claims', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      const { l, approved } = await approvedLink(phone);
      const thief = await HeadlessDevice.create(t.url, 'web');
      const stolen = await claim(thief, approved.claimCode);
      expect(stolen.status).toBe(401);
      expect(errorOf(stolen.json)?.code).toBe('claim_invalid');
      expect(thief.sessionCookie).toBeUndefined();
      const wrongSigner = await claim(l.computer, approved.claimCode, thief);
      expect(errorOf(wrongSigner.json)?.code).toBe('claim_invalid');
      expect((await claim(l.computer, approved.claimCode)).status).toBe(200);
    });

    it('LNK-8 a claim code expires 60 s after approval; an unknown one is claim_invalid', async () => {
      const clock = new ManualClock();
      t = await startTestServer({ clock });
      const phone = await registerPhone(t, NUMBER);
      const { l, approved } = await approvedLink(phone);
      clock.advance(CLAIM_TTL_MS);
      const late = await claim(l.computer, approved.claimCode);
      expect(late.status).toBe(401);
      expect(errorOf(late.json)?.code).toBe('claim_invalid');
      const unknown = await claim(l.computer, Buffer.alloc(32, 7).toString('base64url'));
      expect(errorOf(unknown.json)?.code).toBe('claim_invalid');
      expect(countRows(t, 'devices', 'token_hash is not null')).toBe(1);
      // An unclaimed, expired device does not take a slot and is not listed.
      const { devices } = await phone.socket.request('devices.list', {});
      expect(devices.map((d) => d.kind)).toEqual(['primary']);
    });

    it('LNK-10 keepSignedIn ticked: a persistent cookie; unticked: a browser-session cookie (no Max-Age)', async () => {
      t = await startTestServer();
      const phone = await registerPhone(t, NUMBER);
      for (const keepSignedIn of [true, false]) {
        const { l, approved } = await approvedLink(phone, { keepSignedIn });
        const claimed = await claim(l.computer, approved.claimCode);
        const [header = ''] = claimed.headers.getSetCookie();
        expect(header).toMatch(/^__Host-latch-web=/);
        expect(/;\s*Max-Age=/i.test(header), String(keepSignedIn)).toBe(keepSignedIn);
        expect(/;\s*Expires=/i.test(header), String(keepSignedIn)).toBe(false);
        const { devices } = await phone.socket.request('devices.list', {});
        expect(devices.find((d) => d.id === approved.deviceId)?.keepSignedIn).toBe(keepSignedIn);
      }
    });

    it('LNK-10 a shared-computer session ends after 30 min idle (401, reason inactive); a kept one does not', async () => {
      const clock = new ManualClock();
      t = await startTestServer({ clock });
      const phone = await registerPhone(t, NUMBER);
      const shared = await linkConnected(t, phone, { keepSignedIn: false });
      const kept = await linkConnected(t, phone, { keepSignedIn: true });
      shared.socket.close();
      kept.socket.close();
      await shared.socket.closed;
      await kept.socket.closed;

      clock.advance(SHARED_IDLE_MS - 1000);
      expect((await shared.computer.http('GET', '/v1/session?client=web')).status).toBe(200);
      clock.advance(SHARED_IDLE_MS + 1000);
      const expired = await shared.computer.http('GET', '/v1/session?client=web');
      expect(expired.status).toBe(401);
      expect(errorOf(expired.json)?.details).toEqual({ reason: 'inactive' });
      expect(expired.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"');
      expect((await kept.computer.http('GET', '/v1/session?client=web')).status).toBe(200);

      const { devices } = await phone.socket.request('devices.list', {});
      expect(devices.find((d) => d.id === shared.deviceId)).toMatchObject({
        status: 'logged_out',
        logoutReason: 'inactive',
      });
      const { events } = await phone.socket.request('security.list', {});
      expect(events.find((e) => e.type === 'device_logged_out')).toMatchObject({
        deviceId: shared.deviceId,
        reason: 'inactive',
      });
    });

    it('LNK-10 a shared-computer session lasts at most 12 h even when used all along', async () => {
      const clock = new ManualClock();
      t = await startTestServer({ clock });
      const phone = await registerPhone(t, NUMBER);
      const shared = await linkConnected(t, phone, { keepSignedIn: false });
      shared.socket.close();
      await shared.socket.closed;
      const step = SHARED_IDLE_MS - 60_000;
      let elapsed = 0;
      while (elapsed + step < SHARED_ABSOLUTE_MS) {
        clock.advance(step);
        elapsed += step;
        const s = await shared.computer.connect();
        s.close();
        await s.closed;
        // Use counts once written (socket opens and closes are written in batches).
        await t.server.presence.flush();
      }
      clock.advance(step);
      const refused = await shared.computer.http('GET', '/v1/session?client=web');
      expect(refused.status).toBe(401);
      expect(errorOf(refused.json)?.details).toEqual({ reason: 'inactive' });
    });
  });
});
