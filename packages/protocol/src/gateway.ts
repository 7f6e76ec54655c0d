import { z } from 'zod';
import { ErrorBody } from './errors';
import { AccountView, ChatView, MessageView, SecurityEventView } from './models';
import { Id, LogoutReason, Random256, Signature, Timestamp } from './primitives';
import { RpcMethodName } from './rpc';

/** Bumped when frames change incompatibly. */
export const PROTOCOL_VERSION = 1;

/** Largest frame either side may send on /v1/ws. */
export const MAX_FRAME_BYTES = 16 * 1024;

// ---- client → server (/v1/ws) -------------------------------------------------------------

/** First frame: the device's signature over {@link authMessage}(nonce). */
export const AuthFrame = z.strictObject({ type: z.literal('auth'), signature: Signature });

/** A request. `params` is validated against the method's own schema in {@link rpcMethods}. */
export const RequestFrame = z.strictObject({
  type: z.literal('req'),
  id: z.string().min(1).max(64),
  method: RpcMethodName,
  params: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof RequestFrame>;

/**
 * Heartbeat: an authenticated device asks "still there?" and the server answers {@link PongFrame}.
 * Browsers cannot send WebSocket-level pings, so a dead connection (a laptop that slept, a NAT that
 * forgot the flow) is noticed only by a frame that gets no answer.
 */
export const PingFrame = z.strictObject({ type: z.literal('ping') });

export const ClientFrame = z.discriminatedUnion('type', [AuthFrame, RequestFrame, PingFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;

// ---- server → client (/v1/ws) -------------------------------------------------------------

export const ChallengeFrame = z.object({
  type: z.literal('challenge'),
  nonce: Random256,
  protocolVersion: z.number().int(),
});
export const ReadyFrame = z.object({
  type: z.literal('ready'),
  account: AccountView,
  deviceId: Id,
  serverTime: Timestamp,
});
/** The answer to a {@link RequestFrame}: `result` when ok, `error` when not. */
export const ResponseFrame = z.object({
  type: z.literal('res'),
  id: z.string(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: ErrorBody.shape.error.optional(),
});
export const LoggedOutFrame = z.object({ type: z.literal('logged_out'), reason: LogoutReason });
export const DevicesChangedFrame = z.object({ type: z.literal('devices.changed') });
export const AccountChangedFrame = z.object({ type: z.literal('account.changed'), account: AccountView });
export const SecurityEventFrame = z.object({ type: z.literal('security.event'), event: SecurityEventView });
/** To the phone: a browser asked to link with this account's phone number; open the code prompt. */
export const LinkPromptFrame = z.object({ type: z.literal('link.prompt'), expiresAt: Timestamp });
export const MessageFrame = z.object({
  type: z.literal('message'),
  message: MessageView,
  syncId: z.number().int(),
});
export const ChatFrame = z.object({ type: z.literal('chat'), chat: ChatView });
/**
 * Read and delivery positions of a chat moved (ticks): the chat's `readSeq`, `othersReadSeq` and
 * `othersDeliveredSeq` as this account now sees them. Positions only move forward: keep the higher.
 */
export const ReceiptsFrame = z.object({
  type: z.literal('receipts'),
  chatId: Id,
  readSeq: z.number().int().nonnegative(),
  othersReadSeq: z.number().int().nonnegative(),
  othersDeliveredSeq: z.number().int().nonnegative(),
});
/** This account is no longer in the chat (left or removed): drop it from the list. */
export const ChatRemovedFrame = z.object({ type: z.literal('chat.removed'), chatId: Id });
/** The server may have missed live events for this device: catch up from the sync cursor now. */
export const ResyncFrame = z.object({ type: z.literal('resync') });
/** The answer to a {@link PingFrame}. */
export const PongFrame = z.object({ type: z.literal('pong') });
export const TypingFrame = z.object({
  type: z.literal('typing'),
  chatId: Id,
  accountId: Id,
  typing: z.boolean(),
});

export const ServerFrame = z.discriminatedUnion('type', [
  ChallengeFrame,
  ReadyFrame,
  ResponseFrame,
  LoggedOutFrame,
  DevicesChangedFrame,
  AccountChangedFrame,
  SecurityEventFrame,
  LinkPromptFrame,
  MessageFrame,
  ChatFrame,
  ReceiptsFrame,
  ChatRemovedFrame,
  ResyncFrame,
  TypingFrame,
  PongFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type ServerEventFrame = Exclude<ServerFrame, { type: 'challenge' | 'ready' | 'res' | 'pong' }>;
