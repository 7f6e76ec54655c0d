import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Quiet, deterministic headless Chromium: no background traffic, no QUIC, no first-run UI. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface LaunchBrowserOptions {
  /** Extra Chromium flags (e.g. a fake camera). */
  args?: string[];
  /** A profile directory: the browser keeps cookies and IndexedDB across launches, like a real one. */
  userDataDir?: string;
}

/** The system Chromium through playwright-core (never a downloaded browser). */
export async function launchBrowser(
  opts: LaunchBrowserOptions & { userDataDir: string },
): Promise<BrowserContext>;
export async function launchBrowser(
  opts?: LaunchBrowserOptions & { userDataDir?: undefined },
): Promise<Browser>;
export async function launchBrowser(opts: LaunchBrowserOptions = {}): Promise<Browser | BrowserContext> {
  const args = [...CHROMIUM_ARGS, ...(opts.args ?? [])];
  if (opts.userDataDir !== undefined) {
    return chromium.launchPersistentContext(opts.userDataDir, { executablePath: CHROMIUM_PATH, args });
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args });
}

/** A phone-sized page context. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };
