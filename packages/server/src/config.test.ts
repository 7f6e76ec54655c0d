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
    const c = parseConfig({ ALLOWED_ORIGINS: ' https://a.example ,https://b.example,, ', TLS: 'true' });
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.tls).toBe(true);
    expect(parseConfig({ TLS: '1' }).tls).toBe(true);
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
