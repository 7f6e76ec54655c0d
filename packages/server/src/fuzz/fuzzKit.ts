import fc from 'fast-check';
import { expect } from 'vitest';
import { parseRawResponse } from '../testing/rawHttp';

/**
 * IN-6: arbitraries for hostile input and the properties every answer must keep. Runs are seeded
 * (fast-check prints the seed and the smallest failing input) and bounded so the suite stays fast.
 */
export const FUZZ_SEED = Number(process.env.LATCH_FUZZ_SEED ?? 20_261_201);
/** `LATCH_FUZZ_SCALE=20` for a longer exploration by hand; `npm test` runs the default. */
const SCALE = Number(process.env.LATCH_FUZZ_SCALE ?? 1);

/** A property's own time limit: its runs are bounded, but a busy 2-core machine stretches them. */
export const FUZZ_TIMEOUT_MS = 90_000 * SCALE;

export function fuzzParams(numRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(numRuns * SCALE)), endOnFailure: true };
}

/** Strings people and attackers send: ordinary, empty, huge, control characters, escapes, look-alikes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '%',
    '%c0%80',
    '%E0%A4%A',
    '[',
    '//[',
    '/\\[',
    '__proto__',
    'constructor',
    'null',
    'undefined',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' or 1=1 --",
    '+15550001111',
    '+1',
    '000000',
    '275913',
    'K4DP-7QXM',
    'AAAAAAAAAAAAAAAAAAAAAA',
    'A'.repeat(43),
    'x'.repeat(5000),
    'http://[',
    'https://evil.example',
  ),
);

/** Any JSON value, nested a little, including hostile strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/**
 * A mutation of an object with these keys: some keys kept with hostile values, some dropped, maybe
 * an unknown key added. Valid-looking values come from `valid` when given.
 */
export function mutatedObject(
  keys: string[],
  valid: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<Record<string, unknown>> {
  const entry = (key: string) => {
    const good = valid[key];
    return good
      ? fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: hostileJson })
      : hostileJson;
  };
  const extraKey = fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.tuple(hostileString, hostileJson) },
  );
  return fc
    .tuple(fc.record(Object.fromEntries(keys.map((k) => [k, entry(k)])), { requiredKeys: [] }), extraKey)
    .map(([obj, extra]) => (extra ? { ...obj, [extra[0]]: extra[1] } : obj));
}

/** Header values as they can travel on the wire (no CR or LF, which would end the header). */
export const headerValue: fc.Arbitrary<string> = hostileString.map((s) => s.replace(/[\r\n]/g, ''));

/** Checks the SEC-1 headers and, for errors, the `{error: {code, message}}` body of a raw answer. */
export function expectWellFormedAnswer(raw: string, method: string, what: string): number {
  const r = parseRawResponse(raw);
  expect(r.status, `${what}: no answer\n${raw.slice(0, 500)}`).toBeGreaterThan(0);
  expect(r.status, `${what}: 5xx\n${raw.slice(0, 500)}`).toBeLessThan(500);
  if (r.status === 101) return r.status;
  expect(r.headers.get('content-security-policy'), what).toContain("frame-ancestors 'none'");
  expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(r.headers.get('referrer-policy'), what).toBe('no-referrer');
  if (r.status >= 400 && method !== 'HEAD') {
    const body = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, `${what}\n${r.body}`).toBe('string');
    expect(typeof body.error?.message, `${what}\n${r.body}`).toBe('string');
  }
  return r.status;
}

/** Logs of a fuzz run: nothing at error level, no stack traces, none of the given secrets. */
export function expectQuietLogs(logs: string[], secrets: string[]): void {
  for (const line of logs) {
    const entry = JSON.parse(line) as { level: number; err?: unknown; msg?: string };
    expect(entry.level, line).toBeLessThan(50);
    expect(line, line).not.toMatch(/"stack"|\n\s+at /);
    for (const secret of secrets) expect(line.includes(secret), `a secret in the log: ${line}`).toBe(false);
  }
}
