import {
  browserHttpTransport,
  browserNetworkMonitor,
  browserSocketTransport,
  type DeviceKey,
  deviceSigner,
  IndexedDbCache,
  LatchEngine,
  type WipeHooks,
  wipeBrowserData,
} from '@latch/client';
import { markPendingLogout } from './pendingLogout';
import { readStorage, STORAGE_KEYS } from './storageKeys';

/** The IndexedDB database holding this browser's chats, newest messages, cursor and outbox. */
export const CACHE_DB_NAME = 'latch-web-cache';

/**
 * The linked browser's engine: its connection, sync, cache, outbox and the one logout path (OUT-*).
 * `announce` tells the other tabs (OUT-3) before the wipe.
 */
export function startEngine(key: DeviceKey, announce: NonNullable<WipeHooks['announce']>): LatchEngine {
  const engine = new LatchEngine({
    app: 'web',
    origin: location.origin,
    signer: deviceSigner(key),
    sockets: browserSocketTransport,
    http: browserHttpTransport,
    network: browserNetworkMonitor,
    cache: new IndexedDbCache(CACHE_DB_NAME, key.publicKey),
    // Kept from linking, so a wipe can be reported even when the session is gone before `ready`.
    deviceId: readStorage(STORAGE_KEYS.deviceId),
    wipe: {
      announce,
      wipePlatform: async () => {
        await wipeBrowserData();
      },
      // OUT-8: the QR page finishes a logout the server did not hear.
      rememberPendingLogout: markPendingLogout,
    },
  });
  void engine.start();
  return engine;
}
