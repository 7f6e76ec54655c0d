import { describe, expect, it } from 'vitest';
import { ClientFrame, MAX_FRAME_BYTES, ServerFrame } from './gateway';
import { MAX_MESSAGE_LENGTH } from './limits';
import { rpcMethods } from './rpc';

describe('request frames and params', () => {
  it('IN-2 a client frame is strict and names a known method', () => {
    expect(ClientFrame.safeParse({ type: 'req', id: '1', method: 'chats.list', params: {} }).success).toBe(
      true,
    );
    expect(ClientFrame.safeParse({ type: 'req', id: '1', method: 'chats.drop' }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'req', id: '', method: 'chats.list' }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'req', id: 'x'.repeat(65), method: 'chats.list' }).success).toBe(
      false,
    );
    expect(ClientFrame.safeParse({ type: 'req', id: '1', method: 'chats.list', x: 1 }).success).toBe(false);
    expect(ClientFrame.safeParse({ type: 'hello' }).success).toBe(false);
    expect(MAX_FRAME_BYTES).toBe(16 * 1024);
  });

  it('IN-2 message text must not be blank and at most 4096 characters', () => {
    const send = rpcMethods['messages.send'].params;
    const base = { chatId: 'abcdefghijklmnop', clientMsgId: 'client-msg-1' };
    expect(send.safeParse({ ...base, text: 'hi' }).success).toBe(true);
    expect(MAX_MESSAGE_LENGTH).toBe(4096);
    expect(send.safeParse({ ...base, text: 'x'.repeat(MAX_MESSAGE_LENGTH) }).success).toBe(true);
    expect(send.safeParse({ ...base, text: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }).success).toBe(false);
    expect(send.safeParse({ ...base, text: '' }).success).toBe(false);
    expect(send.safeParse({ ...base, text: ' \n\t ' }).success).toBe(false);
    expect(send.safeParse({ ...base, clientMsgId: 'short', text: 'hi' }).success).toBe(false);
  });

  it('IN-2 link.preview takes either a ref or a linking code, never both', () => {
    const p = rpcMethods['link.preview'].params;
    expect(p.safeParse({ code: 'k4dp-7qxm' }).success).toBe(true);
    expect(p.safeParse({ ref: 'AAAAAAAAAAAAAAAAAAAAAA' }).success).toBe(true);
    expect(p.safeParse({ ref: 'AAAAAAAAAAAAAAAAAAAAAA', code: 'K4DP7QXM' }).success).toBe(false);
    expect(p.safeParse({}).success).toBe(false);
  });

  it('ENG-4 the heartbeat is a strict ping frame answered by a pong frame', () => {
    expect(ClientFrame.safeParse({ type: 'ping' }).success).toBe(true);
    expect(ClientFrame.safeParse({ type: 'ping', extra: 1 }).success).toBe(false);
    expect(ServerFrame.safeParse({ type: 'pong' }).success).toBe(true);
  });
});
