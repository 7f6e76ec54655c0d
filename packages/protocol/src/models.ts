import { z } from 'zod';
import { DeviceKind, Id, LogoutReason, MatchNumber, PhoneNumber, PublicKey, Timestamp } from './primitives';

/** "Log out devices inactive for": 1 week, 1 month (default), 3 months, 6 months. */
export const IDLE_LOGOUT_CHOICES = [7, 30, 90, 180] as const;
export const IdleLogoutDays = z.union(IDLE_LOGOUT_CHOICES.map((d) => z.literal(d)));
export type IdleLogoutDays = z.infer<typeof IdleLogoutDays>;

/** The account as its own devices see it. */
export const AccountView = z.object({
  id: Id,
  phoneNumber: PhoneNumber,
  name: z.string(),
  /** The account identity key: the primary device's key, which signs every companion. */
  identityKey: PublicKey,
  twoStepEnabled: z.boolean(),
  /** True when a recovery email is set for PIN resets (the address itself is shown masked). */
  recoveryEmail: z.string().nullable(),
  idleLogoutDays: IdleLogoutDays,
});
export type AccountView = z.infer<typeof AccountView>;

export const DeviceStatus = z.enum(['active', 'logout_pending', 'logged_out']);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

/** One device of an account, as the phone's "Linked devices" screen shows it. */
export const DeviceView = z.object({
  id: Id,
  kind: DeviceKind,
  /** "Chrome on Linux". */
  name: z.string(),
  browser: z.string(),
  os: z.string(),
  createdAt: Timestamp,
  lastActiveAt: Timestamp,
  online: z.boolean(),
  ip: z.string(),
  keepSignedIn: z.boolean(),
  status: DeviceStatus,
  loggedOutAt: Timestamp.nullable(),
  logoutReason: LogoutReason.nullable(),
  /** When the browser confirmed it wiped its data; null while it has not. */
  wipedAt: Timestamp.nullable(),
  /** Idle logout will happen at this time unless the device is used. */
  idleLogoutAt: Timestamp.nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;

export const SecurityEventType = z.enum([
  'registered',
  'reregistered',
  'device_linked',
  'device_logged_out',
  'device_wiped',
  'link_refused',
  'pin_set',
  'pin_changed',
  'pin_disabled',
  'pin_failed',
  'pin_locked',
]);
export type SecurityEventType = z.infer<typeof SecurityEventType>;

export const SecurityEventView = z.object({
  id: Id,
  type: SecurityEventType,
  at: Timestamp,
  deviceId: Id.nullable(),
  deviceName: z.string().nullable(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
});
export type SecurityEventView = z.infer<typeof SecurityEventView>;

/** What the phone shows before it approves a link: who is asking. */
export const LinkPreview = z.object({
  linkId: Id,
  devicePublicKey: PublicKey,
  deviceName: z.string(),
  browser: z.string(),
  os: z.string(),
  ip: z.string(),
  /** True when the asking browser is on the phone's network (same IPv4 /24 or IPv6 /64). */
  sameNetwork: z.boolean(),
  /**
   * Set when it is not (LNK-16): the right number (shown on the computer) and two decoys, shuffled.
   * The phone must send the one the person picks with `link.approve`.
   */
  matchChoices: z.array(MatchNumber).length(3).nullable(),
  /** How long ago the shown code was issued. */
  ageMs: z.number().int().nonnegative(),
  /** True when approving needs the two-step PIN. */
  pinRequired: z.boolean(),
});
export type LinkPreview = z.infer<typeof LinkPreview>;

/** Nudges the phone shows: confirm the PIN, review linked devices, devices about to be logged out. */
export const RemindersView = z.object({
  pinReminderDue: z.boolean(),
  reviewDevicesDue: z.boolean(),
  idleWarnings: z.array(z.object({ deviceId: Id, deviceName: z.string(), logoutAt: Timestamp })),
  /** Set while a forgotten-PIN re-registration waits out its 7 days. */
  pinResetAvailableAt: Timestamp.nullable(),
});
export type RemindersView = z.infer<typeof RemindersView>;

export const PresenceView = z.object({
  accountId: Id,
  online: z.boolean(),
  lastSeenAt: Timestamp.nullable(),
});
export type PresenceView = z.infer<typeof PresenceView>;

export const ChatKind = z.enum(['direct', 'group']);

export const MemberView = z.object({
  accountId: Id,
  phoneNumber: PhoneNumber,
  name: z.string(),
  admin: z.boolean(),
});
export type MemberView = z.infer<typeof MemberView>;

export const MessageView = z.object({
  id: Id,
  chatId: Id,
  seq: z.number().int().positive(),
  senderAccountId: Id,
  senderDeviceId: Id,
  clientMsgId: z.string(),
  text: z.string(),
  sentAt: Timestamp,
});
export type MessageView = z.infer<typeof MessageView>;

export const ChatView = z.object({
  id: Id,
  kind: ChatKind,
  /** Group name, or the other person's name for a direct chat. */
  title: z.string(),
  members: z.array(MemberView),
  lastSeq: z.number().int().nonnegative(),
  lastMessage: MessageView.nullable(),
  /** This account's read position. */
  readSeq: z.number().int().nonnegative(),
  /** Highest seq read by every other member (for read ticks). */
  othersReadSeq: z.number().int().nonnegative(),
  /** Highest seq delivered to a device of every other member (for double ticks). */
  othersDeliveredSeq: z.number().int().nonnegative(),
  updatedAt: Timestamp,
});
export type ChatView = z.infer<typeof ChatView>;
