import { LinkServerFrame, LogoutReason, MessageView, SecurityEventView } from '@latch/protocol';
import { z } from 'zod';
import type { BusEvent } from './events';

/** Server-made ids; loose on purpose, so a well-formed event is never dropped over an id's spelling. */
const ServerId = z.string().min(1).max(128);
const AccountIds = z.array(ServerId).max(10_000);
const Seq = z.number().int().nonnegative();

/**
 * The shape of every {@link BusEvent}, for events that arrive over the wire (Redis): another node,
 * or anything else that can publish on the channel, may send garbage, and garbage must not reach
 * the sockets. `bus/busEventSchema.test.ts` checks that this stays exactly the `BusEvent` type.
 */
export const BusEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('devices.revoked'), deviceIds: z.array(ServerId), reason: LogoutReason }),
  z.object({ type: z.literal('devices.changed'), accountId: ServerId }),
  z.object({ type: z.literal('account.changed'), accountId: ServerId }),
  z.object({ type: z.literal('security.event'), accountId: ServerId, event: SecurityEventView }),
  z.object({ type: z.literal('link.frame'), linkId: ServerId, frame: LinkServerFrame }),
  z.object({ type: z.literal('link.prompt'), accountId: ServerId, expiresAt: z.number().int() }),
  z.object({
    type: z.literal('message.new'),
    accountIds: AccountIds,
    message: MessageView,
    syncId: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('chat.changed'), accountIds: AccountIds, chatId: ServerId }),
  z.object({
    type: z.literal('receipts'),
    chatId: ServerId,
    lastSeq: Seq,
    positions: z.array(z.object({ accountId: ServerId, readSeq: Seq, deliveredSeq: Seq })).max(10_000),
    notify: AccountIds,
  }),
  z.object({ type: z.literal('chat.removed'), accountIds: AccountIds, chatId: ServerId }),
  z.object({
    type: z.literal('typing'),
    accountIds: AccountIds,
    chatId: ServerId,
    accountId: ServerId,
    typing: z.boolean(),
  }),
]) satisfies z.ZodType<BusEvent>;
