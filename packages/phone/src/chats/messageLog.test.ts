import type { MessageView } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { addPending, EMPTY_LOG, mergeMessages } from './messageLog';

const ME = 'account-me-000001';
const THEM = 'account-them-0001';

function message(seq: number, sender: string, clientMsgId = `client-${seq}-xx`): MessageView {
  return {
    id: `message-${seq}-000000`,
    chatId: 'chat-000000001',
    seq,
    senderAccountId: sender,
    senderDeviceId: 'device-00000001',
    clientMsgId,
    text: `text ${seq}`,
    sentAt: 1_700_000_000_000 + seq,
  };
}

describe('mergeMessages', () => {
  it('MSG-1 keeps messages in seq order whatever order they arrive in', () => {
    const log = mergeMessages(EMPTY_LOG, [message(3, THEM), message(1, THEM)], ME);
    const next = mergeMessages(log, [message(2, ME)], ME);
    expect(next.confirmed.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('MSG-1 ignores a seq it already has (live event after a history page)', () => {
    const log = mergeMessages(EMPTY_LOG, [message(1, THEM), message(2, THEM)], ME);
    expect(mergeMessages(log, [message(2, THEM)], ME)).toBe(log);
  });

  it('MSG-1 replaces a pending message with the server copy of the same clientMsgId', () => {
    const pending = addPending(EMPTY_LOG, {
      clientMsgId: 'abc-12345678',
      text: 'hi',
      createdAt: 1,
      failed: false,
    });
    const next = mergeMessages(pending, [message(7, ME, 'abc-12345678')], ME);
    expect(next.pending).toEqual([]);
    expect(next.confirmed.map((m) => m.seq)).toEqual([7]);
  });

  it('MSG-1 does not drop a pending message because another account used the same clientMsgId', () => {
    const pending = addPending(EMPTY_LOG, {
      clientMsgId: 'abc-12345678',
      text: 'hi',
      createdAt: 1,
      failed: false,
    });
    expect(mergeMessages(pending, [message(7, THEM, 'abc-12345678')], ME).pending).toHaveLength(1);
  });
});
