import type { TabId } from './TabBar';

/**
 * Which screen is showing, and its URL under /phone (NAV-1): a reload reopens the same screen, and
 * the phone's Back button walks back through them like any site. The server answers every one of
 * these paths with the phone app's index.html (ASSET-2).
 */
export type View =
  | { kind: 'tab'; tab: TabId }
  | { kind: 'chat'; chatId: string }
  | { kind: 'linked_devices' }
  | { kind: 'security' }
  | { kind: 'two_step' };

const FIXED: Record<string, View> = {
  '/': { kind: 'tab', tab: 'chats' },
  '/settings': { kind: 'tab', tab: 'settings' },
  '/settings/linked-devices': { kind: 'linked_devices' },
  '/settings/security': { kind: 'security' },
  '/settings/two-step': { kind: 'two_step' },
};

/** The view a path (relative to /phone) names, or null for a path the app does not know. */
export function viewOf(path: string): View | null {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const fixed = FIXED[trimmed];
  if (fixed) return fixed;
  const chat = /^\/chats\/([^/]+)$/.exec(trimmed);
  if (!chat?.[1]) return null;
  try {
    return { kind: 'chat', chatId: decodeURIComponent(chat[1]) };
  } catch {
    return null;
  }
}

/** The path (relative to /phone) of a view. */
export function pathOf(view: View): string {
  switch (view.kind) {
    case 'tab':
      return view.tab === 'chats' ? '/' : '/settings';
    case 'chat':
      return `/chats/${encodeURIComponent(view.chatId)}`;
    case 'linked_devices':
      return '/settings/linked-devices';
    case 'security':
      return '/settings/security';
    case 'two_step':
      return '/settings/two-step';
    default: {
      const missing: never = view;
      throw new Error(`Unhandled view ${JSON.stringify(missing)}`);
    }
  }
}

/** Where a sub-screen's back arrow leads when there is no history of ours to go back to. */
export function parentOf(view: View): View {
  switch (view.kind) {
    case 'tab':
      return view;
    case 'chat':
      return { kind: 'tab', tab: 'chats' };
    default:
      return { kind: 'tab', tab: 'settings' };
  }
}
