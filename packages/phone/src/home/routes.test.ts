import { describe, expect, it } from 'vitest';
import { parentOf, pathOf, type View, viewOf } from './routes';

describe('phone routes', () => {
  it('NAV-1 every screen has a path that names it again', () => {
    const views: View[] = [
      { kind: 'tab', tab: 'chats' },
      { kind: 'tab', tab: 'settings' },
      { kind: 'chat', chatId: 'abc_DEF-1234' },
      { kind: 'linked_devices' },
      { kind: 'security' },
      { kind: 'two_step' },
    ];
    for (const v of views) expect(viewOf(pathOf(v)), pathOf(v)).toEqual(v);
    expect(viewOf('/settings/linked-devices/')).toEqual({ kind: 'linked_devices' });
  });

  it('NAV-1 unknown paths name nothing; sub-screens go back to their tab', () => {
    for (const p of ['/nope', '/chats', '/chats/a/b', '/settings/x', '/chats/%E0%A4%A'])
      expect(viewOf(p), p).toBeNull();
    expect(parentOf({ kind: 'chat', chatId: 'x' })).toEqual({ kind: 'tab', tab: 'chats' });
    expect(parentOf({ kind: 'two_step' })).toEqual({ kind: 'tab', tab: 'settings' });
  });
});
