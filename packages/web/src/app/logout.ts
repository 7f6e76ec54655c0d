import { type DeviceKey, signMessage, wipeBrowserData } from '@latch/client';
import { wipedMessage } from '@latch/protocol';
import type { EndReason } from './logoutNotice';
import { isRetryable, markPendingLogout, postLogout, postWipeReport, type WipeReport } from './pendingLogout';

/** Who started the logout: this tab's menu, the server (socket close / logged_out), or another tab. */
export type LogoutSource = 'self' | 'server' | 'tab';

export interface LogoutInput {
  reason: EndReason;
  source: LogoutSource;
  /** The in-memory key: it still signs the wipe report after IndexedDB is gone. */
  key: DeviceKey | null;
  deviceId: string | null;
  /** Tells the other tabs (OUT-3); not called when another tab told us. */
  announce: (reason: EndReason) => void;
}

async function signWipeReport(key: DeviceKey, deviceId: string): Promise<WipeReport | null> {
  try {
    const at = Date.now();
    return { deviceId, at, signature: await signMessage(key, wipedMessage(deviceId, at)) };
  } catch {
    return null;
  }
}

/**
 * The one logout path (self, phone, idle, 401 on return, other tabs). The caller has closed the
 * socket and shows the QR page with the notice afterwards. Revokes the session server-side (also for server-side reasons: the idempotent answer's
 * Clear-Site-Data is what removes the HttpOnly cookie), wipes the browser, reports the wipe.
 */
export async function performLogout(input: LogoutInput): Promise<void> {
  // The announcing tab already wiped the shared storage (and may have left a pending-logout
  // marker in it that a second wipe would destroy).
  if (input.source === 'tab') return;
  // Other tabs first: they close their databases, which the browser waits for before it applies
  // the Clear-Site-Data of the logout answer (a tab still holding one would stall it).
  input.announce(input.reason);
  let serverPending = false;
  try {
    await postLogout();
  } catch (error) {
    // OUT-8: wipe now anyway; the QR page retries until the server hears it.
    serverPending = isRetryable(error);
  }
  await wipeBrowserData();
  const report = input.key && input.deviceId ? await signWipeReport(input.key, input.deviceId) : null;
  if (serverPending) markPendingLogout(report);
  if (report && !serverPending) await postWipeReport(report);
}
