import type { Generated } from 'kysely';

/** Table types for Kysely. Timestamps are integer milliseconds since the epoch. */
export interface Database {
  accounts: AccountsTable;
  devices: DevicesTable;
  verification_codes: VerificationCodesTable;
  rate_limits: RateLimitsTable;
  link_sessions: LinkSessionsTable;
  link_refs: LinkRefsTable;
  security_events: SecurityEventsTable;
  chats: ChatsTable;
  chat_members: ChatMembersTable;
  messages: MessagesTable;
}

export interface AccountsTable {
  id: string;
  phone_number: string;
  name: string;
  created_at: number;
  pin_hash: string | null;
  idle_logout_days: number;
  pin_set_at: number | null;
  pin_last_used_at: number | null;
  recovery_email: string | null;
  pin_reset_token_hash: string | null;
  pin_reset_expires_at: number | null;
  pin_reset_available_at: number | null;
  /** Last time the phone showed (or the user answered) the "confirm your PIN" reminder. */
  pin_reminder_at: number | null;
  devices_reviewed_at: number | null;
}

export interface DevicesTable {
  id: string;
  account_id: string;
  kind: 'primary' | 'companion';
  name: string;
  browser: string;
  os: string;
  public_key: string;
  /** SHA-256 of the session secret; null once logged out (the credential is gone). */
  token_hash: string | null;
  /** SHA-256 of the one-time claim code while a link waits to be claimed. */
  claim_hash: string | null;
  claim_expires_at: number | null;
  link_id: string | null;
  keep_signed_in: number;
  created_at: number;
  last_active_at: number;
  /** Refreshed while a node holds a socket of this device. */
  online_until: number;
  ip: string;
  revoked_at: number | null;
  revoked_reason: string | null;
  wiped_at: number | null;
  /**
   * token_hash as it was at logout: lets the device that held the secret learn why it was logged out
   * (401 with the reason), while anyone with only the id learns nothing (SEC-4). It opens nothing.
   */
  revoked_token_hash: string | null;
}

export interface VerificationCodesTable {
  phone_number: string;
  code_hash: string;
  expires_at: number;
  attempts: number;
  sent_at: number;
}

export interface RateLimitsTable {
  key: string;
  /** Events in the current window (sends, requests). */
  count: number;
  window_start: number;
  /** Consecutive failures (wrong codes, PINs). */
  failures: number;
  /** How many lockouts so far: each one waits longer. */
  lockouts: number;
  locked_until: number;
}

export interface LinkSessionsTable {
  id: string;
  public_key: string;
  keep_signed_in: number;
  ip: string;
  user_agent: string;
  name: string;
  browser: string;
  os: string;
  created_at: number;
  state: 'waiting' | 'approved' | 'closed';
  device_id: string | null;
  /** For phone-number linking. */
  code_hash: string | null;
  code_account_id: string | null;
  code_issued_at: number | null;
  code_expires_at: number | null;
  /** The phone (device id) that previewed this attempt: only it may approve or refuse (LNK-14). */
  previewed_by: string | null;
  /** The ref it previewed through; null when it came by the phone-number code. */
  previewed_ref_hash: string | null;
  /** Number matching (LNK-16): the number the computer shows, and the choices offered, `42,17,88`. */
  match_number: number | null;
  match_choices: string | null;
}

export interface LinkRefsTable {
  ref_hash: string;
  link_id: string;
  issued_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SecurityEventsTable {
  id: string;
  account_id: string;
  type: string;
  at: number;
  device_id: string | null;
  device_name: string | null;
  reason: string | null;
  ip: string | null;
}

export interface ChatsTable {
  id: string;
  kind: 'direct' | 'group';
  name: string;
  /** For direct chats: the two account ids sorted and joined, so there is only one per pair. */
  direct_key: string | null;
  last_seq: number;
  created_at: number;
  updated_at: number;
}

export interface ChatMembersTable {
  chat_id: string;
  account_id: string;
  admin: number;
  read_seq: number;
  delivered_seq: number;
  joined_at: number;
}

export interface MessagesTable {
  /** Global order, used as every device's sync cursor. */
  sync_id: Generated<number>;
  id: string;
  chat_id: string;
  seq: number;
  sender_account_id: string;
  sender_device_id: string;
  client_msg_id: string;
  body: string;
  sent_at: number;
}
