import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { PublicUrl } from '../publicUrl';
import type { Services } from '../services/services';
import { registerApiRoutes } from './api.routes';
import { registerErrorHandler } from './errorHandler';
import { frameworkErrorOptions } from './frameworkErrors';
import type { OpsDeps } from './ops.routes';
import { registerOpsRoutes } from './ops.routes';
import { registerOriginPolicy } from './originPolicy';
import { registerSecurityHeaders } from './securityHeaders';
import { registerApps } from './staticApps';

const BODY_LIMIT_BYTES = 16 * 1024;

/** Fastify with every HTTP concern of a node: headers, errors, origin policy, API, ops and the apps. */
export async function createHttpApp(deps: {
  config: Config;
  services: Services;
  publicUrl: PublicUrl;
  log: Logger;
  version: string;
  ops: OpsDeps;
}): Promise<FastifyInstance> {
  const { config } = deps;
  const app: FastifyInstance = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    ...frameworkErrorOptions(config.tls),
  });
  await app.register(fastifyCookie);
  registerSecurityHeaders(app, { tls: config.tls });
  registerErrorHandler(app);
  registerOriginPolicy(app, deps.publicUrl);
  registerApiRoutes(app, deps.services, { version: deps.version, browsers: config.browsers });
  registerOpsRoutes(app, deps.ops);
  await registerApps(app, config);
  return app;
}
