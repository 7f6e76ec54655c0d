/** A device that was logged out: what the revocation sweep needs to close its sockets. */
export interface RevokedDevice {
  id: string;
  /** A `LogoutReason` as stored; the sweep treats anything else as `admin`. */
  reason: string | null;
  revokedAt: number | null;
}
