import { ApiError, DeviceKeyStore, requestJson, wipeBrowserData } from '@latch/client';
import { LogoutReason, SessionResponse } from '@latch/protocol';
import { PhoneSession } from './PhoneSession';

export const PHONE_KEY_STORE = 'latch-phone';

export type BootResult =
  /** `reason` is why the server ended the session, when it says (no cookie at all: null). */
  { kind: 'unregistered'; reason: LogoutReason | null } | { kind: 'session'; session: PhoneSession };

/**
 * Decides where the app starts: no device key means registration; a key whose session the server no
 * longer knows means a wipe and registration; otherwise connect (even while the server is unreachable:
 * the socket retries until it answers).
 */
export async function bootPhone(): Promise<BootResult> {
  const key = await new DeviceKeyStore(PHONE_KEY_STORE).load();
  if (!key) return { kind: 'unregistered', reason: null };
  try {
    // The account arrives with the socket's `ready`, after the key has signed its challenge (SEC-4).
    const { deviceId } = await requestJson('GET', '/v1/session?client=phone', SessionResponse);
    return { kind: 'session', session: new PhoneSession(key, null, deviceId) };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      await wipeBrowserData();
      const reason = LogoutReason.safeParse(err.details?.reason);
      return { kind: 'unregistered', reason: reason.success ? reason.data : null };
    }
    return { kind: 'session', session: new PhoneSession(key, null, null) };
  }
}
