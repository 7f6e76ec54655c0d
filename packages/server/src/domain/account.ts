/** One line of the operator's `latch users`: an account and how many devices it has signed in. */
export interface AccountSummary {
  phoneNumber: string;
  name: string;
  createdAt: number;
  /** Devices not logged out, the phone included. */
  activeDevices: number;
}
