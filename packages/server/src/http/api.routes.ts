import {
  ClientQuery,
  LinkClaimRequest,
  PinResetConfirm,
  PinResetRequest,
  RegisterCodeRequest,
  RegisterVerifyRequest,
  SESSION_COOKIE,
  WipedRequest,
} from '@latch/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { forbidden, unauthorized } from '../errors';
import type { Services } from '../services/services';
import { isAppRequest } from './appRequest';
import { clearSessionCookie, setSessionCookie } from './cookies';
import { CLEAR_SITE_DATA } from './securityHeaders';
import { parse } from './validate';

/** The HTTP API: registration, session check, link claim, logout and wipe reports. Everything else is on /v1/ws. */
export function registerApiRoutes(
  app: FastifyInstance,
  services: Services,
  opts: { version: string; browsers: Config['browsers'] },
): void {
  const { version } = opts;
  // Bodies are JSON only: without this, Fastify's built-in text/plain parser hands a string to the
  // schemas (a misleading validation_failed) instead of the 415 that says "send JSON".
  app.removeContentTypeParser('text/plain');
  app.get('/healthz', async () => ({ status: 'ok', version }));

  app.post('/v1/register/code', async (req) => {
    const body = parse(RegisterCodeRequest, req.body);
    return services.registration.requestCode(body.phoneNumber, req.ip);
  });

  app.post('/v1/register/verify', async (req, reply) => {
    const body = parse(RegisterVerifyRequest, req.body);
    const result = await services.registration.verify({
      phoneNumber: body.phoneNumber,
      code: body.code,
      publicKey: body.publicKey,
      pin: body.pin,
      forgotPin: body.forgotPin,
      ip: req.ip,
      userAgent: req.headers['user-agent'],
    });
    setSessionCookie(reply, 'phone', result.cookie, true);
    return { account: result.account, deviceId: result.deviceId, existing: result.existing };
  });

  // Whether the cookie names a live session; account data only on the authenticated socket (SEC-4).
  app.get('/v1/session', async (req, reply) => {
    const { client } = parse(ClientQuery, req.query);
    const check = await services.sessions.check(req.cookies[SESSION_COOKIE[client]], client);
    if (check.kind !== 'ok') {
      if (isAppRequest(req)) endSession(reply, client);
      throw unauthorized(
        check.kind === 'revoked' ? 'This device was logged out.' : 'Not signed in.',
        check.kind === 'revoked' ? { reason: check.reason } : undefined,
      );
    }
    return { deviceId: check.device.id };
  });

  app.post('/v1/link/claim', async (req, reply) => {
    const body = parse(LinkClaimRequest, req.body);
    const result = await services.links.claim(body.claimCode, body.signature);
    setSessionCookie(reply, 'web', result.cookie, result.keepSignedIn, result.maxAgeS);
    return { deviceId: result.deviceId };
  });

  app.post('/v1/logout', async (req: FastifyRequest, reply) => {
    const { client } = parse(ClientQuery, req.query);
    // Only the app itself logs a browser out and wipes it; never a form or a page on another site.
    if (!isAppRequest(req)) throw forbidden('forbidden', 'Log out from the Latch app.');
    const check = await services.sessions.check(req.cookies[SESSION_COOKIE[client]], client);
    if (check.kind === 'ok') {
      await services.devices.logout({
        accountId: check.account.id,
        deviceIds: [check.device.id],
        reason: 'self',
        ip: req.ip,
      });
    }
    endSession(reply, client);
    return reply.status(204).send();
  });

  app.get('/v1/client-config', async () => ({
    minBrowserVersions: opts.browsers.min,
    currentBrowserVersions: opts.browsers.current,
  }));

  app.post('/v1/pin/reset/request', async (req, reply) => {
    const body = parse(PinResetRequest, req.body);
    await services.pins.requestReset(body.phoneNumber, req.ip);
    // The same answer whether or not the number has a recovery email.
    return reply.status(202).send({ sent: true });
  });

  app.post('/v1/pin/reset', async (req, reply) => {
    const body = parse(PinResetConfirm, req.body);
    await services.pins.confirmReset(body.token, req.ip);
    return reply.status(204).send();
  });

  app.post('/v1/logout/wiped', async (req, reply) => {
    const body = parse(WipedRequest, req.body);
    await services.devices.confirmWiped(body.deviceId, body.at, body.signature, req.ip);
    return reply.status(204).send();
  });
}

/** Forget the cookie and, for browsers, everything else this origin stored. Only for the app's own requests (SEC-3). */
function endSession(reply: FastifyReply, client: 'web' | 'phone'): void {
  clearSessionCookie(reply, client);
  if (client === 'web') reply.header('clear-site-data', CLEAR_SITE_DATA);
}
