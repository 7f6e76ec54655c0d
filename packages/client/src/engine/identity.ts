import type { AccountView } from '@latch/protocol';

/** Who this device is linked as: what the last `ready` frame (or the cache) said. */
export interface LinkedIdentity {
  account: AccountView;
  deviceId: string;
}
