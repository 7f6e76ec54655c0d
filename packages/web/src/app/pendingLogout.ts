import { ApiError, requestJson } from '@latch/client';
import { WipedRequest } from '@latch/protocol';
import { z } from 'zod';
import { readStorage, removeStorage, STORAGE_KEYS, writeStorage } from './storageKeys';

/** `POST /v1/logout` and `/v1/logout/wiped` answer 204 with no body. */
const NoContent = z.unknown();
const RETRY_MS = 5_000;
/**
 * The logout answers carry `Clear-Site-Data`, which the browser may hold back while it clears
 * storage; a logout must never hang on that, so a slow answer counts as "not sent yet" (OUT-8).
 */
const LOGOUT_TIMEOUT_MS = 5_000;

export type WipeReport = z.infer<typeof WipedRequest>;

/** Revokes this browser's session (idempotent) and, through `Clear-Site-Data`, drops its cookie. */
export async function postLogout(): Promise<void> {
  await requestJson('POST', '/v1/logout?client=web', NoContent, undefined, { timeoutMs: LOGOUT_TIMEOUT_MS });
}

/** OUT-6: tells the server (and so the phone) that this browser wiped itself. Failure is not fatal. */
export async function postWipeReport(report: WipeReport): Promise<void> {
  try {
    await requestJson('POST', '/v1/logout/wiped', NoContent, report, { timeoutMs: LOGOUT_TIMEOUT_MS });
  } catch {
    // The phone then shows "will be wiped when it next opens"; nothing else depends on it.
  }
}

/** Worth trying again later: the server was unreachable or failing, not refusing. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'network' || error.status >= 500);
}

/** OUT-8: remembers (after the wipe) that the server still has to hear about this logout. */
export function markPendingLogout(report: WipeReport | null): void {
  writeStorage(STORAGE_KEYS.pendingLogout, '1');
  if (report) writeStorage(STORAGE_KEYS.pendingWiped, JSON.stringify(report));
}

function readPendingWipeReport(): WipeReport | null {
  const text = readStorage(STORAGE_KEYS.pendingWiped);
  if (text === null) return null;
  try {
    const parsed = WipedRequest.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Sends a pending logout once. True when nothing is pending any more. */
export async function finishPendingLogout(): Promise<boolean> {
  if (readStorage(STORAGE_KEYS.pendingLogout) === null) return true;
  // Read before the request: its Clear-Site-Data answer empties localStorage.
  const report = readPendingWipeReport();
  try {
    await postLogout();
  } catch (error) {
    if (isRetryable(error)) return false;
  }
  removeStorage(STORAGE_KEYS.pendingLogout);
  removeStorage(STORAGE_KEYS.pendingWiped);
  if (report) await postWipeReport(report);
  return true;
}

/** Retries a pending logout every 5 s until it is sent or `signal` aborts. */
export async function finishPendingLogoutWithRetry(signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    if (await finishPendingLogout()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, RETRY_MS);
      signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
}
