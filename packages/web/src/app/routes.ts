/**
 * The computer's URLs: the open chat and its group info live in the address, so a reload reopens
 * them and the browser's Back closes them. The server answers these paths with index.html (ASSET-2).
 */
export const ROUTES = {
  home: '/',
  chat: '/chats/:chatId',
  chatInfo: '/chats/:chatId/info',
  /** The QR page's "Link with phone number instead". */
  linkByNumber: '/link/phone-number',
} as const;

export const chatPath = (chatId: string) => `/chats/${encodeURIComponent(chatId)}`;
export const chatInfoPath = (chatId: string) => `${chatPath(chatId)}/info`;

/** The chat (and whether its info panel is open) named by a path, or nothing. */
export function parseChatPath(pathname: string): { chatId: string; info: boolean } | null {
  const m = /^\/chats\/([^/]+)(\/info)?\/?$/.exec(pathname);
  if (!m?.[1]) return null;
  try {
    return { chatId: decodeURIComponent(m[1]), info: m[2] !== undefined };
  } catch {
    return null;
  }
}
