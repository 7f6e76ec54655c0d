/**
 * Limits of the protocol that both sides enforce, exported once so that the server's schemas, the
 * apps' composers and the clients' caches agree (a copy in an app would drift).
 */

/** Longest message text, in UTF-16 code units (what `string.length` counts): MSG-7. */
export const MAX_MESSAGE_LENGTH = 4096;

/** A `clientMsgId` is chosen by the sending device; the server dedups retries by it (MSG-2). */
export const MIN_CLIENT_MSG_ID_LENGTH = 8;
export const MAX_CLIENT_MSG_ID_LENGTH = 64;

/** Largest page `messages.sync` gives (MSG-6). */
export const MAX_SYNC_PAGE = 1000;

/** Largest page `messages.history` gives. */
export const MAX_HISTORY_PAGE = 200;

/** Longest name of a person, a group or a device (DisplayName). */
export const MAX_NAME_LENGTH = 64;
