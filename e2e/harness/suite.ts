import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from './browser';
import { type StartServerOptions, startServer, type TestServer } from './server';

/** A spec file's server and browser, started once and always torn down. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** A page in a fresh browser context (its own cookies and storage: another device). */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
}

/** Registers the spec file's `beforeAll`/`afterAll`; use the returned object inside tests. */
export function browserSuite(opts: StartServerOptions = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startServer(opts);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The suite's ${what} is not started yet (use it inside tests)`);
    return value;
  };
  return {
    get server() {
      return started(server, 'server');
    },
    get browser() {
      return started(browser, 'browser');
    },
    async newPage(viewport = PHONE_VIEWPORT) {
      const context = await started(browser, 'browser').newContext({ viewport });
      contexts.push(context);
      return context.newPage();
    },
  };
}
