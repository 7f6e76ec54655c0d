import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkHeadlessComputer, registerHeadlessPhone } from '../headless/headlessDevice';
import { waitUntil } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

type Phone = Awaited<ReturnType<typeof registerHeadlessPhone>>;

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: { code?: string }) => e.code,
  );
}

describe('groups and presence', () => {
  let t: TestServer;
  let ada: Phone;
  let bo: Phone;
  let cy: Phone;
  beforeEach(async () => {
    t = await startTestServer();
    ada = await registerHeadlessPhone(t.url, '+15550300001', 'Ada', t.readCode);
    bo = await registerHeadlessPhone(t.url, '+15550300002', 'Bo', t.readCode);
    cy = await registerHeadlessPhone(t.url, '+15550300003', 'Cy', t.readCode);
  });
  afterEach(async () => {
    await t.close();
  });

  it('MSG-4 the creator is admin: only an admin adds, removes and renames; members get the changes live', async () => {
    const group = await ada.socket.request('chats.createGroup', {
      name: 'Hike',
      phoneNumbers: ['+15550300002'],
    });
    expect(group.members.find((m) => m.name === 'Ada')?.admin).toBe(true);
    expect(await codeOf(bo.socket.request('chats.rename', { chatId: group.id, name: 'Mine' }))).toBe(
      'forbidden',
    );
    const withCy = await ada.socket.request('chats.addMembers', {
      chatId: group.id,
      phoneNumbers: ['+15550300003'],
    });
    expect(withCy.members.map((m) => m.name).sort()).toEqual(['Ada', 'Bo', 'Cy']);
    await cy.socket.waitFor('chat', (f) => f.chat.id === group.id);
    const renamed = await ada.socket.request('chats.rename', { chatId: group.id, name: 'Weekend hike' });
    expect(renamed.title).toBe('Weekend hike');
    await bo.socket.waitFor('chat', (f) => f.chat.title === 'Weekend hike');
    const boId = group.members.find((m) => m.name === 'Bo')!.accountId;
    await ada.socket.request('chats.removeMember', { chatId: group.id, accountId: boId });
    await bo.socket.waitFor('chat.removed', (f) => f.chatId === group.id);
    expect(
      await codeOf(
        bo.socket.request('messages.send', { chatId: group.id, clientMsgId: 'm-00000001', text: 'hi' }),
      ),
    ).toBe('not_member');
    expect((await bo.socket.request('chats.list', {})).chats).toHaveLength(0);
  });

  it('MSG-4 the last admin leaving hands admin to the longest-standing member', async () => {
    const group = await ada.socket.request('chats.createGroup', {
      name: 'Hike',
      phoneNumbers: ['+15550300002', '+15550300003'],
    });
    await ada.socket.request('chats.leave', { chatId: group.id });
    const seen = await bo.socket.request('chats.list', {});
    const members = seen.chats[0]!.members;
    expect(members.map((m) => m.name).sort()).toEqual(['Bo', 'Cy']);
    expect(members.filter((m) => m.admin)).toHaveLength(1);
  });

  it('MSG-5 presence: online now, or last seen; only for people who share a chat', async () => {
    await ada.socket.request('chats.openDirect', { phoneNumber: '+15550300002' });
    const ids = { bo: bo.accountId, cy: cy.accountId };
    // "Online" is written a few ms after the handshake (in batches).
    await waitUntil(
      async () =>
        (await ada.socket.request('presence.get', { accountIds: [ids.bo] })).presence[0]?.online === true,
    );
    const online = await ada.socket.request('presence.get', { accountIds: [ids.bo, ids.cy] });
    expect(online.presence).toEqual([{ accountId: ids.bo, online: true, lastSeenAt: expect.any(Number) }]);
    bo.socket.close();
    await bo.socket.closed;
    await new Promise((r) => setTimeout(r, 100));
    const away = await ada.socket.request('presence.get', { accountIds: [ids.bo] });
    expect(away.presence[0]?.online).toBe(false);
  });

  it('MSG-6 a computer linked after 200 messages sees them all, in order', async () => {
    const chat = await ada.socket.request('chats.openDirect', { phoneNumber: '+15550300002' });
    for (let i = 1; i <= 200; i++) {
      await (i % 2 ? ada : bo).socket.request('messages.send', {
        chatId: chat.id,
        clientMsgId: `msg-${i}-abcdef`,
        text: `n${i}`,
      });
    }
    const computer = await linkHeadlessComputer(t.url, ada);
    const socket = await computer.connect();
    let after = 0;
    const texts: string[] = [];
    for (;;) {
      const page = await socket.request('messages.sync', { afterId: after, limit: 64 });
      texts.push(...page.messages.map((m) => m.text));
      after = page.nextAfterId;
      if (page.done) break;
    }
    expect(texts).toEqual(Array.from({ length: 200 }, (_, i) => `n${i + 1}`));
    const history = await socket.request('messages.history', { chatId: chat.id, limit: 50 });
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 151 + i));
  });
});
