import type { FastifyInstance } from 'fastify';
import type { Bus } from '../bus/events';
import { digestsEqual, sha256 } from '../crypto';
import { AppError } from '../errors';
import type { Metrics } from '../metrics';

/** A dependency that has not answered by then counts as down for /readyz. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

export interface OpsDeps {
  metrics: Metrics;
  /** METRICS_TOKEN; unset: /metrics does not exist. */
  metricsToken: string | undefined;
  /** Resolves true once the store answered a trivial query. */
  storeReachable: () => Promise<boolean>;
  bus: Bus;
  /** True once the node has begun shutting down: load balancers should stop sending it requests. */
  draining: () => boolean;
}

/**
 * Endpoints for the people and machines that run Latch: readiness for load balancers and
 * orchestrators (liveness is /healthz, next to the API), and Prometheus metrics behind a token.
 */
export function registerOpsRoutes(app: FastifyInstance, deps: OpsDeps): void {
  app.get('/readyz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    if (deps.draining()) return reply.status(503).send({ status: 'draining' });
    const [store, bus] = await Promise.all([
      within(deps.storeReachable(), READY_CHECK_TIMEOUT_MS),
      within(deps.bus.reachable(), READY_CHECK_TIMEOUT_MS),
    ]);
    const ready = store && bus;
    return reply.status(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unavailable',
      store: store ? 'ok' : 'unreachable',
      bus: bus ? 'ok' : 'unreachable',
    });
  });

  // Only the node that counted can be scraped: never public, so a missing or wrong token learns nothing.
  const expected = deps.metricsToken === undefined ? null : sha256(deps.metricsToken);
  app.get('/metrics', async (req, reply) => {
    if (expected === null) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'No such endpoint.' } });
    }
    if (!bearerMatches(req.headers.authorization, expected)) {
      return reply
        .status(401)
        .header('www-authenticate', 'Bearer realm="latch-metrics"')
        .send({ error: { code: 'unauthorized', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' } });
    }
    const text = await deps.metrics.text();
    return reply
      .header('content-type', deps.metrics.contentType)
      .header('cache-control', 'no-store')
      .send(text);
  });

  // Every HTTP refusal for going too fast, whichever route threw it.
  app.addHook('onError', async (_req, _reply, err) => {
    if (err instanceof AppError && err.code === 'rate_limited') deps.metrics.rateLimitRefused('http');
  });
}

/** Compares the token's digest in constant time (equal lengths whatever was sent). */
function bearerMatches(header: string | undefined, expectedDigest: string): boolean {
  const match = /^Bearer (.+)$/i.exec(header ?? '');
  return match?.[1] !== undefined && digestsEqual(sha256(match[1]), expectedDigest);
}

/** True when `check` resolves true within `ms`; false when it fails, answers false, or takes longer. */
async function within(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
