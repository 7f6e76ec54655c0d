import { afterEach, describe, expect, it } from 'vitest';
import { approveLink } from '../headless/headlessDevice';
import {
  countRows,
  queryDb,
  registerPhone,
  rpcError,
  type StartedLink,
  sleep,
  startLink,
} from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

const ADA = '+15550006000';
const EVE = '+15550006001';

describe('a link is bound to the phone that previewed it', () => {
  let t: TestServer | undefined;
  const links: StartedLink[] = [];
  afterEach(async () => {
    for (const l of links.splice(0)) l.attempt.ws.terminate();
    await t?.close();
    t = undefined;
  });

  async function started(): Promise<StartedLink> {
    const l = await startLink(t!);
    links.push(l);
    return l;
  }

  const linkIdOf = (s: TestServer) => queryDb<{ id: string }>(s, 'select id from link_sessions')[0]!.id;

  it('LNK-14 another account cannot approve a link that this phone previewed, even knowing its linkId', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const eve = await registerPhone(t, EVE, 'Eve');
    const l = await started();
    const preview = await ada.socket.request('link.preview', { ref: l.ref });
    const err = await rpcError(approveLink(eve, preview.linkId, l.computer.publicKey, l.linkSecret));
    expect(err.code).toBe('ref_unknown');
    expect(countRows(t, 'devices', "kind = 'companion'")).toBe(0);
    expect(l.attempt.frames.some((f) => f.type === 'link.approved')).toBe(false);
    // The phone that previewed it still can.
    await approveLink(ada, preview.linkId, l.computer.publicKey, l.linkSecret);
    const approved = await l.attempt.next('link.approved');
    expect(approved.account.phoneNumber).toBe(ADA);
  });

  it('LNK-14 another account cannot refuse a pending link; the browser is not disturbed', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const eve = await registerPhone(t, EVE, 'Eve');
    const l = await started();
    const preview = await ada.socket.request('link.preview', { ref: l.ref });
    expect((await rpcError(eve.socket.request('link.refuse', { linkId: preview.linkId }))).code).toBe(
      'ref_unknown',
    );
    await sleep(100);
    expect(l.attempt.frames.map((f) => f.type)).toEqual(['link.ref', 'link.scanned']);
    await approveLink(ada, preview.linkId, l.computer.publicKey, l.linkSecret);
    await l.attempt.next('link.approved');
  });

  it('LNK-14 a link nobody previewed cannot be approved or refused, even by its own account', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const l = await started();
    const linkId = linkIdOf(t);
    expect((await rpcError(approveLink(ada, linkId, l.computer.publicKey, l.linkSecret))).code).toBe(
      'ref_unknown',
    );
    expect((await rpcError(ada.socket.request('link.refuse', { linkId }))).code).toBe('ref_unknown');
    expect(countRows(t, 'devices', "kind = 'companion'")).toBe(0);
    await sleep(100);
    expect(l.attempt.frames.map((f) => f.type)).toEqual(['link.ref']);
  });

  it('LNK-14 a second phone previewing a ref another phone is deciding on is refused (ref_used)', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const eve = await registerPhone(t, EVE, 'Eve');
    const l = await started();
    const preview = await ada.socket.request('link.preview', { ref: l.ref });
    expect((await rpcError(eve.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_used');
    // Previewing again on the same phone is fine and shows the same request.
    const again = await ada.socket.request('link.preview', { ref: l.ref });
    expect(again.linkId).toBe(preview.linkId);
    await approveLink(ada, preview.linkId, l.computer.publicKey, l.linkSecret);
    await l.attempt.next('link.approved');
  });

  it('LNK-14 refusing ends the preview: its ref cannot be previewed or approved again', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const l = await started();
    const preview = await ada.socket.request('link.preview', { ref: l.ref });
    await ada.socket.request('link.refuse', { linkId: preview.linkId });
    await l.attempt.next('link.error');
    expect((await rpcError(ada.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_expired');
    expect((await rpcError(approveLink(ada, preview.linkId, l.computer.publicKey, l.linkSecret))).code).toBe(
      'ref_unknown',
    );
    // The fresh QR the browser got works.
    const fresh = await l.attempt.next('link.ref', 1);
    const next = await ada.socket.request('link.preview', { ref: fresh.ref });
    await approveLink(ada, next.linkId, l.computer.publicKey, l.linkSecret);
    await l.attempt.next('link.approved');
  });
});

describe('changing method retires what the old one showed', () => {
  let t: TestServer | undefined;
  const links: StartedLink[] = [];
  afterEach(async () => {
    for (const l of links.splice(0)) l.attempt.ws.terminate();
    await t?.close();
    t = undefined;
  });

  it('LNK-15 after switching to a phone-number code, the QR refs can no longer be previewed', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const l = await startLink(t);
    links.push(l);
    l.attempt.send({ type: 'link.byPhone', phoneNumber: ADA });
    await l.attempt.next('link.code');
    expect((await rpcError(ada.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_expired');
    expect(l.attempt.frames.some((f) => f.type === 'link.scanned')).toBe(false);
  });

  it('LNK-15 back to QR: the code and every earlier ref are retired; only the new ref links', async () => {
    t = await startTestServer();
    const ada = await registerPhone(t, ADA);
    const l = await startLink(t);
    links.push(l);
    l.attempt.send({ type: 'link.byPhone', phoneNumber: ADA });
    const { code } = await l.attempt.next('link.code');
    l.attempt.send({ type: 'link.useQr' });
    const fresh = await l.attempt.next('link.ref', 1);
    expect((await rpcError(ada.socket.request('link.preview', { code }))).code).toBe('ref_unknown');
    expect((await rpcError(ada.socket.request('link.preview', { ref: l.ref }))).code).toBe('ref_expired');
    const preview = await ada.socket.request('link.preview', { ref: fresh.ref });
    await approveLink(ada, preview.linkId, l.computer.publicKey, l.linkSecret);
    await l.attempt.next('link.approved');
  });
});
