import { type ClientApp, type LogoutReason, type WipedRequest, wipedMessage } from '@latch/protocol';
import { z } from 'zod';
import { ApiError, requestJsonWith } from '../api';
import type { DeviceSigner } from '../deviceKey';
import type { LocalCache } from './cache/localCache';
import type { HttpTransport } from './transport';

export type WipeReport = z.infer<typeof WipedRequest>;

/** Why the device's data is going: this device's menu, or the server (logged_out frame, close, 401). */
export type LogoutSource = 'self' | 'server';

/**
 * The platform's part of a wipe. The browser passes `wipeBrowserData`, the key store's delete and a
 * BroadcastChannel; Node clears its cookie jar. Every hook is optional and must not throw for ever:
 * each is awaited once.
 */
export interface WipeHooks {
  /** Tells the app's other tabs first (they release their databases, OUT-3). */
  announce?: (reason: LogoutReason | 'unauthorized') => void;
  /** Deletes what the platform holds besides the cache: storage, service workers, the device key. */
  wipePlatform?: () => Promise<void>;
  /** OUT-8: the server did not hear the logout; remember to tell it (after the wipe). */
  rememberPendingLogout?: (report: WipeReport | null) => void;
}

export interface LogoutInput {
  app: ClientApp;
  origin: string;
  http: HttpTransport;
  signer: DeviceSigner;
  deviceId: string | null;
  cache: LocalCache;
  hooks: WipeHooks;
  reason: LogoutReason | 'unauthorized';
}

/** The logout answers carry `Clear-Site-Data`, which a browser may hold back: never wait long (OUT-8). */
export const LOGOUT_TIMEOUT_MS = 5_000;
const NoContent = z.unknown();

/** Worth trying again later: the server was unreachable or failing, not refusing. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'network' || error.status >= 500);
}

/**
 * The one logout path (ENG-6): revoke server-side (idempotent, also for server-side reasons: the
 * answer's `Clear-Site-Data` is what removes an HttpOnly cookie), wipe the cache and the platform,
 * then report the wipe with a signature made by the key still held in memory (OUT-6).
 */
export async function performLogout(input: LogoutInput): Promise<{ serverPending: boolean }> {
  const base = input.origin.replace(/\/$/, '');
  input.hooks.announce?.(input.reason);
  let serverPending = false;
  try {
    await requestJsonWith(input.http, 'POST', `${base}/v1/logout?client=${input.app}`, NoContent, undefined, {
      timeoutMs: LOGOUT_TIMEOUT_MS,
    });
  } catch (error) {
    serverPending = isRetryable(error);
  }
  await input.cache.destroy().catch(() => undefined);
  await input.hooks.wipePlatform?.().catch(() => undefined);
  const report = input.deviceId ? await signWipeReport(input.signer, input.deviceId) : null;
  if (serverPending) input.hooks.rememberPendingLogout?.(report);
  else if (report) {
    await requestJsonWith(input.http, 'POST', `${base}/v1/logout/wiped`, NoContent, report, {
      timeoutMs: LOGOUT_TIMEOUT_MS,
    }).catch(() => undefined);
  }
  return { serverPending };
}

async function signWipeReport(signer: DeviceSigner, deviceId: string): Promise<WipeReport | null> {
  try {
    const at = Date.now();
    return { deviceId, at, signature: await signer.sign(wipedMessage(deviceId, at)) };
  } catch {
    return null;
  }
}
