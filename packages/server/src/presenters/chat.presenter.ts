import type { ChatView } from '@latch/protocol';
import type { AccountRow } from '../repositories/account.repository';
import type { ChatRow, MemberRow, MessageRow } from '../repositories/chat.repository';
import { presentMessage } from './message.presenter';

/** What a chat view is made of, read by `ChatService.view`. */
export interface ChatParts {
  chat: ChatRow;
  members: MemberRow[];
  accounts: Map<string, AccountRow>;
  last: MessageRow | undefined;
}

/** The chat as one member sees it: title, ticks, unread position. */
export function presentChat({ chat, members, accounts, last }: ChatParts, accountId: string): ChatView {
  const me = members.find((m) => m.account_id === accountId);
  const others = members.filter((m) => m.account_id !== accountId);
  const other = others[0] ? accounts.get(others[0].account_id) : undefined;
  const title = chat.kind === 'group' ? chat.name : other ? other.name || other.phone_number : 'You';
  const minOf = (key: 'read_seq' | 'delivered_seq') =>
    others.length === 0 ? Number(chat.last_seq) : Math.min(...others.map((m) => Number(m[key])));
  return {
    id: chat.id,
    kind: chat.kind,
    title,
    members: members.map((m) => presentMember(m, accounts.get(m.account_id))),
    lastSeq: Number(chat.last_seq),
    lastMessage: last ? presentMessage(last) : null,
    readSeq: Number(me?.read_seq ?? 0),
    othersReadSeq: minOf('read_seq'),
    othersDeliveredSeq: minOf('delivered_seq'),
    updatedAt: Number(chat.updated_at),
  };
}

function presentMember(m: MemberRow, a: AccountRow | undefined) {
  return {
    accountId: m.account_id,
    phoneNumber: a?.phone_number ?? '',
    name: a?.name ?? '',
    admin: m.admin === 1,
  };
}
