import { AccountView, ChatView, Id, MAX_MESSAGE_LENGTH, MessageView, PublicKey } from '@latch/protocol';
import { z } from 'zod';
import type { LinkedIdentity } from '../identity';
import type { ChatsSeed } from '../sync/chatsReducer';

/** Bumped when the stored shapes change; an older cache is dropped, not migrated (it is only a cache). */
export const CACHE_VERSION = 2;

export const CachedPending = z.object({
  clientMsgId: z.string().min(8).max(64),
  chatId: Id,
  text: z.string().min(1).max(MAX_MESSAGE_LENGTH),
  createdAt: z.number().int().nonnegative(),
  status: z.enum(['pending', 'failed']),
});

/** The one record of the `meta` store: whose cache this is, the sync cursor, what is still in the outbox. */
export const CachedMeta = z.object({
  version: z.literal(CACHE_VERSION),
  /** The device key this cache belongs to: a cache left behind by another link is never shown. */
  devicePublicKey: PublicKey,
  account: AccountView.nullable(),
  deviceId: Id.nullable(),
  cursor: z.number().int().nonnegative(),
  pending: z.array(CachedPending),
});
export type CachedMeta = z.infer<typeof CachedMeta>;

/** What a reopened tab starts from. */
export interface CacheSnapshot extends ChatsSeed {
  identity: LinkedIdentity | null;
}

/** The raw contents of the database, as read (unknown until parsed). */
export interface RawCache {
  meta: unknown;
  chats: unknown[];
  messages: unknown[];
}

/**
 * Validates what IndexedDB gave back (parse, don't cast). A missing or foreign meta record means
 * no usable cache; a single bad chat or message is skipped, and messages of unknown chats too.
 */
export function parseCache(raw: RawCache, devicePublicKey: string): CacheSnapshot | null {
  const meta = CachedMeta.safeParse(raw.meta);
  if (!meta.success || meta.data.devicePublicKey !== devicePublicKey) return null;
  const chats: ChatView[] = [];
  for (const value of raw.chats) {
    const chat = ChatView.safeParse(value);
    if (chat.success) chats.push(chat.data);
  }
  const known = new Set(chats.map((c) => c.id));
  const messages: MessageView[] = [];
  for (const value of raw.messages) {
    const message = MessageView.safeParse(value);
    if (message.success && known.has(message.data.chatId)) messages.push(message.data);
  }
  const { account, deviceId, cursor, pending } = meta.data;
  return {
    identity: account && deviceId ? { account, deviceId } : null,
    chats,
    messages,
    pending: pending.filter((p) => known.has(p.chatId)),
    cursor,
  };
}
