import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzParams, hostileString } from './fuzz/fuzzKit';
import { describeUserAgent } from './userAgent';

describe('naming a device from its User-Agent', () => {
  it('IN-5 any User-Agent, however odd or long, names a device at once without throwing', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
    expect(describeUserAgent(chrome).name).toBe('Chrome on Linux');
    expect(describeUserAgent(undefined).name).toBe('Unknown browser');
    const odd = fc.oneof(
      hostileString,
      fc.string({ unit: 'binary', minLength: 1000, maxLength: 16_000 }),
      fc.constantFrom('('.repeat(16_000), `${chrome}${' ('.repeat(8000)}`),
    );
    fc.assert(
      fc.property(odd, (ua) => {
        const started = performance.now();
        const label = describeUserAgent(ua);
        // Not a speed claim: a guard against catastrophic backtracking, which on 16 KB takes seconds
        // to hours. A loaded CI machine can pause any call for tens of milliseconds.
        expect(performance.now() - started).toBeLessThan(1_000);
        expect(label.name.length).toBeGreaterThan(0);
        expect(label.name.length).toBeLessThan(600);
      }),
      fuzzParams(200),
    );
  });
});
