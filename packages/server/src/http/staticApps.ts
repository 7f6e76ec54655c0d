import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config';

/** Hashed build output: a changed file gets a new name, so browsers may keep these for a year. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
/** Pages, the service worker and unhashed files: always revalidated, so an upgrade shows at once. */
export const REVALIDATE_CACHE = 'no-cache';
/** The folder of hashed files in each app's build (Vite's `assetsDir`). */
const HASHED_DIR = 'assets';

/** The last path segment has a file extension (`/assets/app.js`), unlike a deep link (`/chats/abc`). */
const looksLikeFile = (relative: string) => /\.[A-Za-z0-9]+$/.test(relative.split('/').pop() ?? '');

/**
 * Serves the built web app at / and the phone app at /phone/. Files are looked up per request (not
 * listed at start), so files written by a build during an upgrade, and the previous builds' hashed
 * files the build keeps, are served. Paths that are not files (the apps' own routes) get their
 * app's index.html. Brotli and gzip copies made at build time are picked by Accept-Encoding.
 */
export async function registerApps(app: FastifyInstance, config: Config): Promise<void> {
  const webDist = path.join(config.appsDir, 'web', 'dist');
  const phoneDist = path.join(config.appsDir, 'phone', 'dist');
  await app.register(fastifyStatic, {
    root: webDist,
    serve: false,
    preCompressed: true,
    cacheControl: false,
    // Dotfiles are never part of a build.
    dotfiles: 'ignore',
    setHeaders: (reply, file) => {
      const hashed = path.basename(path.dirname(file)) === HASHED_DIR;
      reply.header('cache-control', hashed ? IMMUTABLE_CACHE : REVALIDATE_CACHE);
    },
  });

  const serveFrom =
    (name: string, dist: string) =>
    async (req: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
      if (!fs.existsSync(dist)) {
        return reply
          .status(503)
          .type('text/plain')
          .send(`The ${name} app is not built. Run \`npm run build\` (npm start does it for you).`);
      }
      const relative = req.params['*'];
      return reply.sendFile(looksLikeFile(relative) ? relative : 'index.html', dist);
    };
  const serveWeb = serveFrom('web', webDist);
  app.get<{ Params: { '*': string } }>('/*', async (req, reply) => {
    // The API's unknown paths stay JSON 404s, not the app.
    if (req.params['*'].startsWith('v1/')) return reply.callNotFound();
    return serveWeb(req, reply);
  });
  app.get('/phone', async (_req, reply) => reply.redirect('/phone/'));
  app.get('/phone/*', serveFrom('phone', phoneDist));
}
