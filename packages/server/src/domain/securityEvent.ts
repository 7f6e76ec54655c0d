/** One line of an account's security log (links, logouts, wipes, PIN events). */
export interface SecurityEvent {
  id: string;
  accountId: string;
  /** A `SecurityEventType` as stored. */
  type: string;
  at: number;
  deviceId: string | null;
  deviceName: string | null;
  reason: string | null;
  ip: string | null;
}
