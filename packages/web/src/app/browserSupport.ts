import type { ClientConfigResponse } from '@latch/protocol';

/** A browser family (bowser's lowercase name, as the server's config uses) and its major version. */
export interface DetectedBrowser {
  name: string;
  major: number;
}

/** What the "Update your browser" banner says (UA-1). */
export interface OutdatedBrowser extends DetectedBrowser {
  label: string;
  minimum: number;
  current: number | null;
}

/** Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const PATTERNS: Array<{ name: string; pattern: RegExp }> = [
  { name: 'opera', pattern: /\bOPR\/(\d+)/ },
  { name: 'microsoft edge', pattern: /\bEdg(?:e|A|iOS)?\/(\d+)/ },
  { name: 'firefox', pattern: /\b(?:Firefox|FxiOS)\/(\d+)/ },
  { name: 'chromium', pattern: /\bChromium\/(\d+)/ },
  { name: 'chrome', pattern: /(?:\b|Headless)(?:Chrome|CriOS)\/(\d+)/ },
  { name: 'safari', pattern: /\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\// },
];

const LABELS: Record<string, string> = {
  opera: 'Opera',
  'microsoft edge': 'Microsoft Edge',
  firefox: 'Firefox',
  chromium: 'Chromium',
  chrome: 'Chrome',
  safari: 'Safari',
};

/** Reads the family and major version from a user agent; null when it is not one we know. */
export function detectBrowser(userAgent: string): DetectedBrowser | null {
  for (const { name, pattern } of PATTERNS) {
    const match = pattern.exec(userAgent);
    if (match?.[1]) return { name, major: Number(match[1]) };
  }
  return null;
}

/** The banner's content when this browser is older than the operator's minimum, else null. */
export function outdatedBrowser(
  browser: DetectedBrowser | null,
  config: ClientConfigResponse,
): OutdatedBrowser | null {
  if (!browser) return null;
  const minimum = config.minBrowserVersions[browser.name];
  if (minimum === undefined || browser.major >= minimum) return null;
  return {
    ...browser,
    label: LABELS[browser.name] ?? browser.name,
    minimum,
    current: config.currentBrowserVersions[browser.name] ?? null,
  };
}
