import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { SETTING_NAMES } from './config';
import { httpCall } from './testing/testHelpers';
import { startTestServer, type TestServer } from './testing/testServer';

/**
 * The container files, checked without Docker (no daemon on CI): the compose files parse and say
 * what the docs say; the Dockerfile installs every workspace, runs unprivileged, and health-checks a
 * path the server answers. A real `docker build` / hadolint run is in docs/deploy.md.
 */

const METRICS_TOKEN = 'deploy-files-metrics-token';
const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

const Service = z.object({
  image: z.string().optional(),
  build: z.string().optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  stop_grace_period: z.string().optional(),
});
const Compose = z.object({ services: z.record(z.string(), Service) });

const compose = (file: string) => Compose.parse(parse(read(file), { merge: true }));
const latchServices = (c: z.infer<typeof Compose>) =>
  Object.entries(c.services).filter(([, s]) => s.image === 'latch:local');

describe('container files', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('OPS-12 the compose files parse; Latch services set only real settings and stop gracefully', () => {
    const single = compose('docker-compose.yml');
    const cluster = compose('docker-compose.cluster.yml');
    expect(latchServices(single).map(([name]) => name)).toEqual(['latch']);
    expect(latchServices(cluster).map(([name]) => name)).toEqual(['migrate', 'node-a', 'node-b']);
    for (const [name, service] of [...latchServices(single), ...latchServices(cluster)]) {
      for (const key of Object.keys(service.environment ?? {})) {
        expect(SETTING_NAMES, `${name} sets ${key}`).toContain(key);
      }
    }
    for (const name of ['node-a', 'node-b']) {
      const node = cluster.services[name]!;
      expect(node.environment?.DATABASE_URL).toMatch(
        /^postgres:\/\/latch:\$\{POSTGRES_PASSWORD:\?.*\}@postgres:5432\/latch$/,
      );
      expect(node.environment?.BUS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?.*\}@redis:6379/);
      expect(node.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
      expect(node.stop_grace_period).toBe('15s');
    }
    expect(cluster.services.migrate?.command).toEqual(['node', 'packages/server/dist/cli.js', 'migrate']);
    expect(cluster.services.postgres?.healthcheck?.test[0]).toBe('CMD');
    expect(single.services.latch?.ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('OPS-12 the Dockerfile builds every workspace, runs as a non-root user and health-checks /healthz', async () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    // npm ci refuses a lockfile whose workspaces it cannot see: every workspace's package.json is copied.
    const rootManifest = z
      .object({ workspaces: z.array(z.string()) })
      .parse(JSON.parse(read('package.json')));
    for (const pattern of rootManifest.workspaces) {
      const dirs = pattern.endsWith('/*')
        ? fs.readdirSync(path.join(ROOT, pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -2)}/${d}`)
        : [pattern];
      for (const dir of dirs.filter((d) => fs.existsSync(path.join(ROOT, d, 'package.json')))) {
        expect(dockerfile, dir).toContain(`COPY ${dir}/package.json ${dir}/`);
        expect(dockerfile, dir).toContain(`COPY --from=build /app/${dir}/package.json ${dir}/`);
      }
    }
    expect(dockerfile).toContain('RUN npm ci --omit=dev');
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBe('node');
    expect(dockerfile).toMatch(
      /^CMD \["node", "--enable-source-maps", "packages\/server\/dist\/main\.js"\]$/m,
    );
    const healthPath = /HEALTHCHECK[\s\S]*?'(\/\w+)'\)/.exec(dockerfile)?.[1];
    expect(healthPath).toBe('/healthz');
    expect((await httpCall(t.url, 'GET', healthPath!)).status).toBe(200);
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', 'data', '.git']) expect(ignored).toContain(entry);
  });

  it('OPS-2 the Grafana dashboard (docs/grafana-latch.json) queries only series a node exports', async () => {
    const Dashboard = z.object({
      panels: z.array(z.object({ title: z.string(), targets: z.array(z.object({ expr: z.string() })) })),
    });
    const dashboard = Dashboard.parse(JSON.parse(read('docs/grafana-latch.json')));
    const scraped = await httpCall(t.url, 'GET', '/metrics', {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const exported = new Set(
      scraped.text
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.split(/[{ ]/)[0]),
    );
    const queried = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((target) =>
        [...target.expr.matchAll(/\b((?:latch|nodejs|process)_\w+)/g)].map((m) => m[1]!),
      ),
    );
    expect(queried.length).toBeGreaterThan(10);
    for (const series of queried) expect(exported, series).toContain(series);
  });
});
