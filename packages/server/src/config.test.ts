import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LINK_FIRST_REF_TTL_MS, LINK_MAX_REFS, LINK_REF_TTL_MS } from '@latch/protocol';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('configuration from the environment', () => {
  it('REG-7 a fresh start needs nothing: SQLite under ./data, in-process bus, console SMS, port 8080', () => {
    const c = parseConfig({});
    expect(c.port).toBe(8080);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.databaseUrl).toBe(`sqlite://${path.join(path.resolve('./data'), 'latch.db')}`);
    expect(c.busUrl).toBe('memory://');
    expect(c.sms).toEqual({ transport: 'console', webhookUrl: undefined });
    expect(c.allowedOrigins).toEqual([]);
    expect(c.tls).toBe(false);
  });

  it('LNK-1 the link rotation defaults are the protocol’s: 60 s, 20 s, 6 refs; LNK-6 four companions', () => {
    const c = parseConfig({});
    expect(c.link).toEqual({
      firstRefTtlMs: LINK_FIRST_REF_TTL_MS,
      refTtlMs: LINK_REF_TTL_MS,
      maxRefs: LINK_MAX_REFS,
    });
    expect(c.maxCompanions).toBe(4);
    const custom = parseConfig({
      LINK_FIRST_REF_TTL_MS: '300',
      LINK_REF_TTL_MS: '150',
      LINK_MAX_REFS: '3',
      MAX_COMPANIONS: '2',
    });
    expect(custom.link).toEqual({ firstRefTtlMs: 300, refTtlMs: 150, maxRefs: 3 });
    expect(custom.maxCompanions).toBe(2);
  });

  it('LIM-4 LIM-5 the caps default to 20 open link channels and 60 link attempts a minute per IP, 8 sockets per device', () => {
    expect(parseConfig({}).limits).toEqual({
      linkChannelsPerIp: 20,
      linkStartsPerIpPerMinute: 60,
      socketsPerDevice: 8,
    });
    const custom = parseConfig({
      LINK_CHANNELS_PER_IP: '3',
      LINK_STARTS_PER_IP_PER_MINUTE: '5',
      MAX_SOCKETS_PER_DEVICE: '2',
    });
    expect(custom.limits).toEqual({ linkChannelsPerIp: 3, linkStartsPerIpPerMinute: 5, socketsPerDevice: 2 });
    expect(() => parseConfig({ MAX_SOCKETS_PER_DEVICE: '0' })).toThrow();
  });

  it('REG-7 the webhook SMS transport needs a URL', () => {
    expect(() => parseConfig({ SMS_TRANSPORT: 'webhook' })).toThrow(/SMS_WEBHOOK_URL/);
    expect(() => parseConfig({ SMS_TRANSPORT: 'webhook', SMS_WEBHOOK_URL: 'not a url' })).toThrow(
      /SMS_WEBHOOK_URL/,
    );
    expect(
      parseConfig({ SMS_TRANSPORT: 'webhook', SMS_WEBHOOK_URL: 'https://sms.example/send' }).sms,
    ).toEqual({
      transport: 'webhook',
      webhookUrl: 'https://sms.example/send',
    });
    expect(() => parseConfig({ SMS_TRANSPORT: 'carrier-pigeon' })).toThrow(/SMS_TRANSPORT/);
  });

  it('AUTH-5 ALLOWED_ORIGINS is a comma-separated allowlist; SEC-1 TLS turns HSTS on', () => {
    const c = parseConfig({
      ALLOWED_ORIGINS: ' https://a.example ,https://b.example,, ',
      TLS: 'true',
      PUBLIC_URL: 'https://chat.example.org',
    });
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.tls).toBe(true);
    expect(parseConfig({ TLS: '1', PUBLIC_URL: 'https://chat.example.org' }).tls).toBe(true);
    expect(parseConfig({ TLS: '0' }).tls).toBe(false);
  });

  it('IN-1 an invalid setting stops the start and names the variable; empty ones mean the default', () => {
    const bad: Array<[Record<string, string>, RegExp]> = [
      [{ PORT: '70000' }, /PORT/],
      [{ PORT: 'eighty' }, /PORT/],
      [{ LINK_MAX_REFS: '0' }, /LINK_MAX_REFS/],
      [{ LINK_REF_TTL_MS: '-5' }, /LINK_REF_TTL_MS/],
      [{ MAX_COMPANIONS: '33' }, /MAX_COMPANIONS/],
      [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
      [{ TLS: 'yes' }, /TLS/],
    ];
    for (const [env, name] of bad) expect(() => parseConfig(env), JSON.stringify(env)).toThrow(name);
    expect(parseConfig({ PORT: '', LOG_LEVEL: '', DATABASE_URL: '' }).port).toBe(8080);
    expect(parseConfig({ DATABASE_URL: '' }).databaseUrl).toMatch(/^sqlite:\/\//);
  });
});

describe('configuration from a file (LATCH_CONFIG)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latch-config-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('OPS-6 the file holds the environment variables’ keys; the environment overrides it', () => {
    const file = write(
      'latch.json',
      JSON.stringify({
        PORT: 9090,
        TLS: true,
        PUBLIC_URL: 'https://chat.example.org',
        DATABASE_URL: 'postgres://latch@db.internal:5432/latch',
        MAX_COMPANIONS: '3',
        METRICS_TOKEN: 'a-long-enough-metrics-token',
        AUDIT_LOG: '/var/log/latch/audit.jsonl',
        LOG_LEVEL: '',
      }),
    );
    const c = parseConfig({ LATCH_CONFIG: file });
    expect(c.port).toBe(9090);
    expect(c.tls).toBe(true);
    expect(c.publicUrl).toBe('https://chat.example.org');
    expect(c.databaseUrl).toBe('postgres://latch@db.internal:5432/latch');
    expect(c.maxCompanions).toBe(3);
    expect(c.metricsToken).toBe('a-long-enough-metrics-token');
    expect(c.auditLog).toBe('/var/log/latch/audit.jsonl');
    expect(c.logLevel).toBe('info');
    const overridden = parseConfig({ LATCH_CONFIG: file, PORT: '7070', TLS: 'false', MAX_COMPANIONS: '' });
    expect(overridden.port).toBe(7070);
    expect(overridden.tls).toBe(false);
    // Empty in the environment means "not set": the file's value stands.
    expect(overridden.maxCompanions).toBe(3);
  });

  it('OPS-6 a bad file stops the start with its name and what is wrong, never a value', () => {
    const cases: Array<[string, RegExp]> = [
      [write('missing-dir.json', '{}').replace('missing-dir', 'nope/missing'), /cannot read it/],
      [write('broken.json', '{"PORT": 80,'), /is not valid JSON/],
      [write('array.json', '[1, 2]'), /one JSON object of settings/],
      [write('nested.json', '{"PORT": {"value": 80}}'), /one JSON object of settings.*"PORT"/],
      [write('unknown.json', '{"PROT": 8080}'), /unknown setting "PROT"/],
      [write('nested-config.json', '{"LATCH_CONFIG": "/etc/other.json"}'), /cannot name another one/],
    ];
    for (const [file, message] of cases) {
      expect(() => parseConfig({ LATCH_CONFIG: file }), file).toThrow(message);
      expect(() => parseConfig({ LATCH_CONFIG: file }), file).toThrow(file);
    }
    const invalid = write('invalid.json', JSON.stringify({ PORT: 70000, METRICS_TOKEN: 'short-secret' }));
    let error = '';
    try {
      parseConfig({ LATCH_CONFIG: invalid, LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    expect(error).toContain(`PORT (from ${invalid})`);
    expect(error).toContain(`METRICS_TOKEN (from ${invalid}): use at least 16 characters`);
    expect(error).toContain('LOG_LEVEL (from the environment)');
    expect(error).not.toContain('short-secret');
    expect(error).not.toContain('loud');
  });
});
