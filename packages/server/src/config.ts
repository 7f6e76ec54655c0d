import path from 'node:path';
import { z } from 'zod';
import { describeInvalidSettings, mergeConfigFile } from './configFile';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const ms = z.coerce.number().int().positive();

/** Every setting Latch reads from the environment, with its default. Parsed once at start. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('./data'),
  /** Empty: SQLite file in DATA_DIR. `postgres://…`: PostgreSQL. */
  DATABASE_URL: z.string().optional(),
  /** Empty: in-process bus. `redis://…`: Redis pub/sub. */
  BUS_URL: z.string().optional(),
  SMS_TRANSPORT: z.enum(['console', 'webhook']).default('console'),
  SMS_WEBHOOK_URL: z.string().url().optional(),
  EMAIL_TRANSPORT: z.enum(['console', 'webhook']).default('console'),
  EMAIL_WEBHOOK_URL: z.string().url().optional(),
  /** Oldest supported browsers, `name=major` comma-separated (bowser's lowercase names). */
  MIN_BROWSER_VERSIONS: z
    .string()
    .default('chrome=120,chromium=120,microsoft edge=120,firefox=128,safari=17,opera=106'),
  /** Current releases, for the banner's "the current version is …". */
  CURRENT_BROWSER_VERSIONS: z
    .string()
    .default('chrome=156,chromium=156,microsoft edge=156,firefox=150,safari=26,opera=141'),
  /** Messages per chat from before its link that a newly linked computer may read. */
  HISTORY_FOR_NEW_DEVICES: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  /** Absolute lifetime of a linked computer's session (ASVS 7.3.2); then it is logged out (`expired`). */
  SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(400).default(180),
  /** How often the idle-device sweep runs. */
  IDLE_SWEEP_INTERVAL_MS: ms.default(60_000),
  /**
   * The address people reach Latch at (`https://chat.example.org`, no path). Every absolute URL the
   * server makes (the PIN-reset link) is built on it, and it is the origin WebSockets and POSTs must
   * come from. Unset: `http://localhost:PORT` on a loopback HOST, `http://HOST:PORT` otherwise.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an absolute http(s) URL' })
    .refine((u) => {
      const url = URL.parse(u);
      return url?.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
    }, 'PUBLIC_URL is an origin only: scheme, host and port, no path, query or credentials')
    .optional(),
  /** Extra origins allowed to open WebSockets and POST, comma-separated (PUBLIC_URL's origin always is). */
  ALLOWED_ORIGINS: z.string().default(''),
  /** Companion (linked computer) cap per account. */
  MAX_COMPANIONS: z.coerce.number().int().min(1).max(32).default(4),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set when Latch is served over TLS (directly or behind a proxy) to send HSTS. */
  TLS: bool.default(false),
  /** Trust X-Forwarded-For from a reverse proxy. */
  TRUST_PROXY: bool.default(false),
  LINK_FIRST_REF_TTL_MS: ms.default(60_000),
  LINK_REF_TTL_MS: ms.default(20_000),
  LINK_MAX_REFS: z.coerce.number().int().min(1).max(50).default(6),
  /** Link channels (/v1/link) one IP may hold open at once on one node (LIM-4). */
  LINK_CHANNELS_PER_IP: z.coerce.number().int().min(1).default(20),
  /** Link attempts (`link.start`) one IP may begin per minute, counted in the store (LIM-4). */
  LINK_STARTS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Authenticated sockets one device may hold open at once on one node: tabs of a browser (LIM-5). */
  MAX_SOCKETS_PER_DEVICE: z.coerce.number().int().min(1).max(1000).default(8),
  /** Directory holding the built apps (web/dist and phone/dist); default: the packages folder. */
  APPS_DIR: z.string().optional(),
  /** Bearer token for GET /metrics; unset: no metrics endpoint (404). */
  METRICS_TOKEN: z
    .string()
    .min(16, 'use at least 16 characters, e.g. the output of `openssl rand -hex 32`')
    .optional(),
  /** File the audit stream (security events, operator commands) is appended to; unset: the main log. */
  AUDIT_LOG: z.string().optional(),
});

export type Config = ReturnType<typeof parseConfig>;

/** The names of every setting (environment variables and LATCH_CONFIG keys). */
export const SETTING_NAMES: readonly string[] = [...Object.keys(Env.shape), 'LATCH_CONFIG'];

/**
 * Settings from the environment over those in the `LATCH_CONFIG` JSON file, if any. Throws an error
 * naming every invalid setting and where it came from.
 */
export function parseConfig(env: Record<string, string | undefined>) {
  const { values, sources } = mergeConfigFile(
    env,
    SETTING_NAMES.filter((name) => name !== 'LATCH_CONFIG'),
  );
  const parsed = Env.safeParse(values);
  if (!parsed.success) throw new Error(describeInvalidSettings(parsed.error, sources));
  const e = parsed.data;
  if (e.SMS_TRANSPORT === 'webhook' && !e.SMS_WEBHOOK_URL) {
    throw new Error('SMS_TRANSPORT=webhook needs SMS_WEBHOOK_URL');
  }
  if (e.EMAIL_TRANSPORT === 'webhook' && !e.EMAIL_WEBHOOK_URL) {
    throw new Error('EMAIL_TRANSPORT=webhook needs EMAIL_WEBHOOK_URL');
  }
  if (e.TLS && !e.PUBLIC_URL?.startsWith('https:')) {
    throw new Error(
      'TLS=true needs PUBLIC_URL=https://… (the address people use): links and the origin check are built on it',
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite://${path.join(dataDir, 'latch.db')}`,
    busUrl: e.BUS_URL ?? 'memory://',
    sms: { transport: e.SMS_TRANSPORT, webhookUrl: e.SMS_WEBHOOK_URL },
    email: { transport: e.EMAIL_TRANSPORT, webhookUrl: e.EMAIL_WEBHOOK_URL },
    browsers: {
      min: parseVersions(e.MIN_BROWSER_VERSIONS),
      current: parseVersions(e.CURRENT_BROWSER_VERSIONS),
    },
    idleSweepIntervalMs: e.IDLE_SWEEP_INTERVAL_MS,
    sessionMaxAgeMs: e.SESSION_MAX_AGE_DAYS * 86_400_000,
    historyForNewDevices: e.HISTORY_FOR_NEW_DEVICES,
    /** PUBLIC_URL's origin when set; null means "derive it from HOST and the port listened on". */
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : null,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(originOf),
    maxCompanions: e.MAX_COMPANIONS,
    logLevel: e.LOG_LEVEL,
    tls: e.TLS,
    trustProxy: e.TRUST_PROXY,
    link: { firstRefTtlMs: e.LINK_FIRST_REF_TTL_MS, refTtlMs: e.LINK_REF_TTL_MS, maxRefs: e.LINK_MAX_REFS },
    /** Caps on what one IP or one device may hold or begin (LIM-4, LIM-5). */
    limits: {
      linkChannelsPerIp: e.LINK_CHANNELS_PER_IP,
      linkStartsPerIpPerMinute: e.LINK_STARTS_PER_IP_PER_MINUTE,
      socketsPerDevice: e.MAX_SOCKETS_PER_DEVICE,
    },
    appsDir: e.APPS_DIR ? path.resolve(e.APPS_DIR) : path.resolve(import.meta.dirname, '../..'),
    metricsToken: e.METRICS_TOKEN,
    auditLog: e.AUDIT_LOG ? path.resolve(e.AUDIT_LOG) : undefined,
  };
}

/** `https://App.example:443/` → `https://app.example`, the form browsers send in `Origin`. */
function originOf(text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    throw new Error(`ALLOWED_ORIGINS: ${text} is not an origin (e.g. https://app.example)`);
  }
}

/** `chrome=120,firefox=128` → { chrome: 120, firefox: 128 }. */
function parseVersions(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [name, version] = part.split('=').map((x) => x.trim());
    const major = Number(version);
    if (!name || !Number.isInteger(major) || major <= 0)
      throw new Error(`Bad browser version entry: ${part}`);
    out[name.toLowerCase()] = major;
  }
  return out;
}
