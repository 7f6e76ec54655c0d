import type { FastifyInstance } from 'fastify';
import { forbidden } from '../errors';
import type { PublicUrl } from '../publicUrl';

/** AUTH-5: cross-site requests are refused outright (SameSite=Strict cookies are the second lock). */
export function registerOriginPolicy(app: FastifyInstance, publicUrl: PublicUrl): void {
  app.addHook('onRequest', async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !publicUrl.allows(req.headers.origin)) {
      throw forbidden('forbidden', 'Cross-origin request refused.');
    }
  });
}
