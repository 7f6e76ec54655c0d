import { describe, expect, it } from 'vitest';
import { chatInfoPath, chatPath, parseChatPath } from './routes';

describe('web routes', () => {
  it('NAV-1 a chat path and its info path name the chat; anything else names none', () => {
    expect(parseChatPath(chatPath('abc_DEF-123'))).toEqual({ chatId: 'abc_DEF-123', info: false });
    expect(parseChatPath(chatInfoPath('abc_DEF-123'))).toEqual({ chatId: 'abc_DEF-123', info: true });
    expect(parseChatPath('/chats/abc/')).toEqual({ chatId: 'abc', info: false });
    for (const p of ['/', '/chats', '/chats/', '/chats/a/b', '/link/phone-number', '/chats/%E0%A4%A']) {
      expect(parseChatPath(p), p).toBeNull();
    }
  });
});
