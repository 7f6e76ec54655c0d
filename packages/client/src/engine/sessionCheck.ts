import { type ClientApp, type LogoutReason, LogoutReason as LogoutReasonSchema } from '@latch/protocol';
import { z } from 'zod';
import { ApiError, requestJsonWith } from '../api';
import type { HttpTransport } from './transport';

/**
 * A server may refuse the WebSocket upgrade itself when the session is gone, which a browser reports
 * as a plain network failure. Asking over HTTP tells "offline" apart from "logged out" (ENG-6):
 * returns why the session is gone, or null when it exists or the server cannot be asked.
 */
export async function sessionGone(
  http: HttpTransport,
  origin: string,
  app: ClientApp,
): Promise<LogoutReason | 'unauthorized' | null> {
  try {
    await requestJsonWith(http, 'GET', `${origin.replace(/\/$/, '')}/v1/session?client=${app}`, z.unknown());
    return null;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) return null;
    const why = LogoutReasonSchema.safeParse(err.details?.reason);
    return why.success ? why.data : 'unauthorized';
  }
}
