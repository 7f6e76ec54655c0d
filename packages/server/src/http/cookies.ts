import { type ClientApp, SESSION_COOKIE } from '@latch/protocol';
import type { FastifyReply } from 'fastify';

/** Browsers cap cookie lifetime at 400 days; the server-side session is what really decides. */
const PERSISTENT_MAX_AGE_S = 400 * 24 * 3600;

/** `__Host-` cookie: Secure, Path=/, no Domain; HttpOnly so script never sees it; SameSite=Strict against CSRF. */
export function setSessionCookie(
  reply: FastifyReply,
  app: ClientApp,
  value: string,
  persistent: boolean,
): void {
  reply.setCookie(SESSION_COOKIE[app], value, {
    httpOnly: true,
    secure: true,
    sameSite: 'strict',
    path: '/',
    // No Max-Age: a browser-session cookie that dies with the browser (shared computers).
    ...(persistent ? { maxAge: PERSISTENT_MAX_AGE_S } : {}),
  });
}

export function clearSessionCookie(reply: FastifyReply, app: ClientApp): void {
  reply.clearCookie(SESSION_COOKIE[app], { httpOnly: true, secure: true, sameSite: 'strict', path: '/' });
}
