import { afterEach, describe, expect, it } from 'vitest';
import { approveLink } from '../headless/headlessDevice';
import {
  countRows,
  type Phone,
  registerPhone,
  rpcError,
  type StartedLink,
  startLink,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';
import { drawNumberMatch, sameNetwork } from './numberMatch';

const ADA = '+15550007000';
/** TEST-NET-3: the computer's address as the proxy reports it; the phone comes from 127.0.0.1. */
const ELSEWHERE = '203.0.113.7';

describe('same network', () => {
  it('LNK-16 one IPv4 /24 or one IPv6 /64 is one network; anything else, or anything odd, is not', () => {
    expect(sameNetwork('192.168.1.20', '192.168.1.201')).toBe(true);
    expect(sameNetwork('192.168.1.20', '192.168.2.20')).toBe(false);
    expect(sameNetwork('::ffff:10.0.0.5', '10.0.0.9')).toBe(true);
    expect(sameNetwork('2001:db8:1:2::10', '2001:db8:1:2:abcd::1')).toBe(true);
    expect(sameNetwork('2001:db8:1:2::10', '2001:db8:1:3::10')).toBe(false);
    expect(sameNetwork('10.0.0.5', '2001:db8::1')).toBe(false);
    expect(sameNetwork('unknown', 'unknown')).toBe(false);
    expect(sameNetwork('', '')).toBe(false);
  });

  it('LNK-16 the number and two different decoys are 2-digit, and the right one is anywhere among them', () => {
    const positions = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const { number, choices } = drawNumberMatch();
      expect(new Set(choices).size).toBe(3);
      for (const c of choices) expect(c >= 10 && c <= 99).toBe(true);
      positions[choices.indexOf(number)]! += 1;
    }
    for (const n of positions) expect(n).toBeGreaterThan(800);
  });
});

describe('number matching when the computer is on another network', () => {
  let t: TestServer | undefined;
  const links: StartedLink[] = [];
  afterEach(async () => {
    for (const l of links.splice(0)) l.attempt.ws.terminate();
    await t?.close();
    t = undefined;
  });

  async function elsewhere(): Promise<{ phone: Phone; l: StartedLink }> {
    t = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    const phone = await registerPhone(t, ADA);
    const l = await startLink(t, { forwardedFor: ELSEWHERE });
    links.push(l);
    return { phone, l };
  }

  it('LNK-16 the computer is told a number, the phone gets it among three choices, and the right pick links', async () => {
    const { phone, l } = await elsewhere();
    const preview = await phone.socket.request('link.preview', { ref: l.ref });
    expect(preview).toMatchObject({ sameNetwork: false, ip: ELSEWHERE });
    const { matchNumber } = await l.attempt.next('link.scanned');
    expect(matchNumber).toBeDefined();
    expect(preview.matchChoices).toHaveLength(3);
    expect(preview.matchChoices).toContain(matchNumber);
    // A second look shows the same choices, so comparing two sets gives nothing away.
    expect((await phone.socket.request('link.preview', { ref: l.ref })).matchChoices).toEqual(
      preview.matchChoices,
    );
    await approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret, { matchNumber });
    await l.attempt.next('link.approved');
    expect(countRows(t!, 'devices', "kind = 'companion'")).toBe(1);
  });

  it('LNK-16 no number is number_required and changes nothing; the right one then links', async () => {
    const { phone, l } = await elsewhere();
    const preview = await phone.socket.request('link.preview', { ref: l.ref });
    const { matchNumber } = await l.attempt.next('link.scanned');
    const err = await rpcError(approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret));
    expect(err.code).toBe('number_required');
    await approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret, { matchNumber });
    await l.attempt.next('link.approved');
  });

  it('LNK-16 a wrong pick is refused, ends that preview (security event), and the computer gets a fresh QR', async () => {
    const { phone, l } = await elsewhere();
    const preview = await phone.socket.request('link.preview', { ref: l.ref });
    const { matchNumber } = await l.attempt.next('link.scanned');
    const wrong = preview.matchChoices!.find((n) => n !== matchNumber)!;
    const err = await rpcError(
      approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret, { matchNumber: wrong }),
    );
    expect(err.code).toBe('number_mismatch');
    expect(countRows(t!, 'devices', "kind = 'companion'")).toBe(0);
    const error = await l.attempt.next('link.error');
    expect(error.error.code).toBe('number_mismatch');
    const fresh = await l.attempt.next('link.ref', 1);
    expect(fresh.index).toBe(1);

    // Trying the right number now is too late: that preview is over, and its ref is retired.
    const late = await rpcError(
      approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret, { matchNumber }),
    );
    expect(late.code).toBe('ref_unknown');
    expect((await rpcError(phone.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_expired');
    const event = await phone.socket.waitFor('security.event', (f) => f.event.type === 'link_refused');
    expect(event.event).toMatchObject({ reason: 'number_mismatch', ip: ELSEWHERE });

    // The fresh QR starts a new preview with a new number.
    const next = await phone.socket.request('link.preview', { ref: fresh.ref });
    const scanned = await l.attempt.next('link.scanned', 1);
    expect(next.matchChoices).toContain(scanned.matchNumber);
    await approveLink(phone, next.linkId, l.computer.publicKey, l.linkSecret, {
      matchNumber: scanned.matchNumber,
    });
    await l.attempt.next('link.approved');
  });

  it('LNK-16 picks sent all at once: at most one is the right one, and a wrong one ends the preview', async () => {
    const { phone, l } = await elsewhere();
    const preview = await phone.socket.request('link.preview', { ref: l.ref });
    const { matchNumber } = await l.attempt.next('link.scanned');
    const wrongs = preview.matchChoices!.filter((n) => n !== matchNumber);
    const results = await Promise.allSettled(
      wrongs.map((n) =>
        approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret, { matchNumber: n }),
      ),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(countRows(t!, 'link_sessions', 'previewed_by is null and match_number is null')).toBe(1);
    expect(countRows(t!, 'devices', "kind = 'companion'")).toBe(0);
  });

  it('LNK-16 on the same network there is nothing to match', async () => {
    t = await startTestServer();
    const phone = await registerPhone(t, ADA);
    const l = await startLink(t);
    links.push(l);
    const preview = await phone.socket.request('link.preview', { ref: l.ref });
    expect(preview).toMatchObject({ sameNetwork: true, matchChoices: null });
    expect(await l.attempt.next('link.scanned')).toEqual({ type: 'link.scanned' });
    await approveLink(phone, preview.linkId, l.computer.publicKey, l.linkSecret);
    await l.attempt.next('link.approved');
  });
});
