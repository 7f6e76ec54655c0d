import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkConnected, registerPhone } from '../testing/testHelpers';
import { startTestServer, type TestServer } from '../testing/testServer';

describe('history for a newly linked computer', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ env: { HISTORY_FOR_NEW_DEVICES: '30' } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('MSG-6 a computer linked later reads the last N messages of each chat from before its link, then everything new', async () => {
    const ada = await registerPhone(t, '+15550500001', 'Ada');
    await registerPhone(t, '+15550500002', 'Bo');
    const chat = await ada.socket.request('chats.openDirect', { phoneNumber: '+15550500002' });
    const send = (text: string) =>
      ada.socket.request('messages.send', { chatId: chat.id, clientMsgId: `hw-${text}-abcdef`, text });
    for (let i = 1; i <= 80; i++) await send(`old ${i}`);
    // Links happen at a later millisecond than the last message.
    await new Promise((r) => setTimeout(r, 5));
    const computer = await linkConnected(t, ada);
    await send('new 1');

    const synced = await computer.socket.request('messages.sync', { afterId: 0, limit: 1000 });
    expect(synced.messages.map((m) => m.text)).toEqual([
      ...Array.from({ length: 30 }, (_, i) => `old ${51 + i}`),
      'new 1',
    ]);
    const older = await computer.socket.request('messages.history', {
      chatId: chat.id,
      beforeSeq: 60,
      limit: 50,
    });
    expect(older.messages.map((m) => m.seq)).toEqual(Array.from({ length: 9 }, (_, i) => 51 + i));
    // The phone itself keeps all of it.
    const all = await ada.socket.request('messages.sync', { afterId: 0, limit: 1000 });
    expect(all.messages).toHaveLength(81);
    computer.socket.close();
  });
});
