import { type ClientApp, SESSION_COOKIE } from '@latch/protocol';
import type { FastifyReply } from 'fastify';

/** Browsers cap cookie lifetime at 400 days; the server-side session is what really decides. */
const PERSISTENT_MAX_AGE_S = 400 * 24 * 3600;

/**
 * `__Host-` cookie: Secure, Path=/, no Domain; HttpOnly so script never sees it; SameSite=Strict against
 * CSRF. A persistent cookie lives `maxAgeS` at most (a session's remaining lifetime), and never past 400 days.
 */
export function setSessionCookie(
  reply: FastifyReply,
  app: ClientApp,
  value: string,
  persistent: boolean,
  maxAgeS = PERSISTENT_MAX_AGE_S,
): void {
  reply.setCookie(SESSION_COOKIE[app], value, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
    // No Max-Age: a browser-session cookie that dies with the browser (shared computers).
    ...(persistent ? { maxAge: Math.min(maxAgeS, PERSISTENT_MAX_AGE_S) } : {}),
  });
}

export function clearSessionCookie(reply: FastifyReply, app: ClientApp): void {
  reply.clearCookie(SESSION_COOKIE[app], { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
}
