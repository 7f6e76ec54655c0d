import { randomInt } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approveStarted, claim, linkConnected, registerPhone, startLink } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

describe('revocations while something is in flight', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.close();
  });

  it('OUT-7 "Log out from all devices" during a link in flight: the half-linked computer gets nothing, the others keep every message', async () => {
    const phone = await registerPhone(t, '+15550400001', 'Ada');
    const friend = await registerPhone(t, '+15550400002', 'Bo');
    const kept = await linkConnected(t, friend);
    const chat = await phone.socket.request('chats.openDirect', { phoneNumber: '+15550400002' });

    // A computer approved by the phone but not yet claimed: its claim code is in flight.
    const link = await startLink(t);
    const approved = await approveStarted(phone, link);
    const sends = Array.from({ length: 20 }, (_, i) =>
      phone.socket.request('messages.send', {
        chatId: chat.id,
        clientMsgId: `inflight-${i}-${randomInt(1e9)}`,
        text: `m${i}`,
      }),
    );
    const [count] = await Promise.all([phone.socket.request('devices.logoutAll', {}), ...sends]);
    expect(count).toEqual({ count: 1 });
    // The claim arrives too late: refused, no cookie.
    const claimed = await claim(link.computer, approved.claimCode);
    expect(claimed.status).toBe(401);
    expect(link.computer.sessionCookie).toBeUndefined();
    // The friend's computer (another account) got all 20, once each, in order.
    for (let i = 0; i < 20; i++) await kept.socket.waitFor('message', (f) => f.message.text === `m${i}`);
    const seqs = kept.socket.frames.flatMap((f) => (f.type === 'message' ? [f.message.seq] : []));
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    kept.socket.close();
  });
});
