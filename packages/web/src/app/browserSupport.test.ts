import { describe, expect, it } from 'vitest';
import { detectBrowser, outdatedBrowser } from './browserSupport';

const UA = {
  chrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0.5481.77 Safari/537.36',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.46',
  opera:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 OPR/115.0.0.0',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  safari:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Safari/605.1.15',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
};

const config = {
  minBrowserVersions: { chrome: 120, 'microsoft edge': 120, opera: 106, firefox: 128, safari: 17 },
  currentBrowserVersions: { chrome: 156, 'microsoft edge': 156, opera: 141, firefox: 150, safari: 26 },
};

describe('browser support', () => {
  it('UA-1 recognises the browser family and major version', () => {
    expect(detectBrowser(UA.chrome)).toEqual({ name: 'chrome', major: 110 });
    expect(detectBrowser(UA.headless)).toEqual({ name: 'chrome', major: 140 });
    expect(detectBrowser(UA.edge)).toEqual({ name: 'microsoft edge', major: 130 });
    expect(detectBrowser(UA.opera)).toEqual({ name: 'opera', major: 115 });
    expect(detectBrowser(UA.firefox)).toEqual({ name: 'firefox', major: 128 });
    expect(detectBrowser(UA.safari)).toEqual({ name: 'safari', major: 16 });
    expect(detectBrowser(UA.iphone)).toEqual({ name: 'safari', major: 17 });
    expect(detectBrowser('curl/8.0')).toBeNull();
  });

  it('UA-1 says "update" only below the minimum', () => {
    expect(outdatedBrowser(detectBrowser(UA.chrome), config)).toEqual({
      name: 'chrome',
      major: 110,
      label: 'Chrome',
      minimum: 120,
      current: 156,
    });
    expect(outdatedBrowser(detectBrowser(UA.safari), config)?.label).toBe('Safari');
    expect(outdatedBrowser(detectBrowser(UA.firefox), config)).toBeNull();
    expect(outdatedBrowser(detectBrowser(UA.edge), config)).toBeNull();
    expect(outdatedBrowser(null, config)).toBeNull();
    expect(outdatedBrowser({ name: 'netscape', major: 4 }, config)).toBeNull();
  });
});
