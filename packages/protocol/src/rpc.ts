import { z } from 'zod';
import {
  MAX_CLIENT_MSG_ID_LENGTH,
  MAX_HISTORY_PAGE,
  MAX_MESSAGE_LENGTH,
  MAX_SYNC_PAGE,
  MIN_CLIENT_MSG_ID_LENGTH,
} from './limits';
import {
  AccountView,
  ChatView,
  DeviceView,
  IdleLogoutDays,
  LinkPreview,
  MessageView,
  PresenceView,
  RemindersView,
  SecurityEventView,
} from './models';
import {
  DisplayName,
  Email,
  Id,
  LinkCode,
  Mac,
  MatchNumber,
  PhoneNumber,
  Pin,
  PublicKey,
  Random128,
  Signature,
} from './primitives';

const Empty = z.strictObject({});

/**
 * Every request an authenticated device can make over its WebSocket, with the
 * schema of its params and of its result. Server and apps both derive types from this map.
 */
export const rpcMethods = {
  'account.get': { params: Empty, result: AccountView },
  'account.setName': { params: z.strictObject({ name: DisplayName }), result: AccountView },
  'account.setIdleLogout': { params: z.strictObject({ days: IdleLogoutDays }), result: AccountView },
  /** Turns on two-step verification, or changes the PIN (then `currentPin` is required). */
  'pin.set': {
    params: z.strictObject({
      pin: Pin,
      currentPin: Pin.optional(),
      recoveryEmail: Email.nullable().optional(),
    }),
    result: AccountView,
  },
  'pin.disable': { params: z.strictObject({ pin: Pin }), result: AccountView },
  'pin.setRecoveryEmail': {
    params: z.strictObject({ pin: Pin, recoveryEmail: Email.nullable() }),
    result: AccountView,
  },
  /** The periodic "confirm your PIN" memory aid. */
  'pin.confirm': { params: z.strictObject({ pin: Pin }), result: Empty },
  'reminders.get': { params: Empty, result: RemindersView },
  'reminders.dismiss': { params: z.strictObject({ kind: z.enum(['pin', 'review']) }), result: RemindersView },
  'devices.list': { params: Empty, result: z.object({ devices: z.array(DeviceView) }) },
  'devices.logout': {
    params: z.strictObject({ deviceId: Id, pin: Pin.optional() }),
    result: z.object({ device: DeviceView }),
  },
  /** The phone names a linked computer ("Work laptop"); browser and OS stay in the view. */
  'devices.rename': {
    params: z.strictObject({ deviceId: Id, name: DisplayName }),
    result: z.object({ device: DeviceView }),
  },
  'devices.logoutAll': {
    params: z.strictObject({ pin: Pin.optional() }),
    result: z.object({ count: z.number().int().nonnegative() }),
  },
  'security.list': { params: Empty, result: z.object({ events: z.array(SecurityEventView) }) },
  'link.preview': {
    params: z.union([z.strictObject({ ref: Random128 }), z.strictObject({ code: LinkCode })]),
    result: LinkPreview,
  },
  'link.approve': {
    params: z.strictObject({
      linkId: Id,
      devicePublicKey: PublicKey,
      /** Account identity key's signature over {@link approvalMessage}. */
      signature: Signature,
      /** HMAC with the QR's link secret (or the linking code) over {@link linkMacMessage}. */
      mac: Mac,
      pin: Pin.optional(),
      /** The number the person picked from the preview's `matchChoices` (required when those are set). */
      matchNumber: MatchNumber.optional(),
    }),
    result: z.object({ deviceId: Id }),
  },
  'link.refuse': { params: z.strictObject({ linkId: Id }), result: Empty },
  'chats.list': { params: Empty, result: z.object({ chats: z.array(ChatView) }) },
  'chats.openDirect': { params: z.strictObject({ phoneNumber: PhoneNumber }), result: ChatView },
  'chats.createGroup': {
    params: z.strictObject({ name: DisplayName, phoneNumbers: z.array(PhoneNumber).min(1).max(255) }),
    result: ChatView,
  },
  'chats.addMembers': {
    params: z.strictObject({ chatId: Id, phoneNumbers: z.array(PhoneNumber).min(1).max(255) }),
    result: ChatView,
  },
  'chats.removeMember': { params: z.strictObject({ chatId: Id, accountId: Id }), result: ChatView },
  'chats.rename': { params: z.strictObject({ chatId: Id, name: DisplayName }), result: ChatView },
  'chats.leave': { params: z.strictObject({ chatId: Id }), result: Empty },
  /** Online now, or when each account was last seen (any of its devices). */
  'presence.get': {
    params: z.strictObject({ accountIds: z.array(Id).min(1).max(256) }),
    result: z.object({ presence: z.array(PresenceView) }),
  },
  'messages.send': {
    params: z.strictObject({
      chatId: Id,
      /** Chosen by the sending device; a retry with the same id never duplicates. */
      clientMsgId: z.string().min(MIN_CLIENT_MSG_ID_LENGTH).max(MAX_CLIENT_MSG_ID_LENGTH),
      text: z
        .string()
        .refine((t) => t.trim().length > 0, 'Empty message')
        .pipe(z.string().max(MAX_MESSAGE_LENGTH)),
    }),
    result: MessageView,
  },
  'messages.history': {
    params: z.strictObject({
      chatId: Id,
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).default(50),
    }),
    result: z.object({ messages: z.array(MessageView) }),
  },
  /** Catch up: every message after the device's cursor, in (chat, seq) order. */
  'messages.sync': {
    params: z.strictObject({
      afterId: z.number().int().nonnegative(),
      limit: z.number().int().min(1).max(MAX_SYNC_PAGE),
    }),
    result: z.object({
      messages: z.array(MessageView),
      nextAfterId: z.number().int().nonnegative(),
      done: z.boolean(),
    }),
  },
  'messages.read': {
    params: z.strictObject({ chatId: Id, seq: z.number().int().positive() }),
    result: Empty,
  },
  'typing.set': { params: z.strictObject({ chatId: Id, typing: z.boolean() }), result: Empty },
} as const;

export type RpcMethod = keyof typeof rpcMethods;
export const RpcMethodName = z.enum(Object.keys(rpcMethods) as [RpcMethod, ...RpcMethod[]]);
export type RpcParams<M extends RpcMethod> = z.input<(typeof rpcMethods)[M]['params']>;
export type RpcParsedParams<M extends RpcMethod> = z.output<(typeof rpcMethods)[M]['params']>;
export type RpcResult<M extends RpcMethod> = z.infer<(typeof rpcMethods)[M]['result']>;
