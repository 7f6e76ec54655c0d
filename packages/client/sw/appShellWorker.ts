/// <reference lib="webworker" />
/**
 * The app-shell service worker of both apps (built as `sw.js` at each app's base by `@latch/build`).
 * It precaches the built files so an offline reload opens the app, and it answers only for them:
 * pages come from the network first (a new deploy is picked up on the next load) and from the cache
 * when the network fails; hashed files come from the cache; everything else (the API, the other app)
 * is left alone. It stores no user data: a logout deletes its caches and unregisters it (OUT-3).
 */
export {};

declare const self: ServiceWorkerGlobalScope;

interface AppShellManifest {
  buildId: string;
  files: string[];
  passThrough: string[];
}

/** Replaced at build time with the JSON of the build's manifest. */
const SHELL: AppShellManifest = JSON.parse('__LATCH_APP_SHELL__');
/** A page request that takes longer than this is answered from the cache (a network that hangs). */
const NAVIGATION_TIMEOUT_MS = 4000;

const scope = new URL(self.registration.scope);
const cachePrefix = `latch-shell:${scope.pathname}:`;
const cacheName = `${cachePrefix}${SHELL.buildId}`;
const shellUrls = new Set(SHELL.files.map((f) => new URL(f, scope).href));
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll([...shellUrls])));
});

// Older builds' caches go once this worker takes over (not before: their pages may still need them).
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names.filter((n) => n.startsWith(cachePrefix) && n !== cacheName).map((n) => caches.delete(n)),
        ),
      ),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin || SHELL.passThrough.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === 'navigate') {
    event.respondWith(pageFromNetworkOrShell(request));
    return;
  }
  url.search = '';
  if (shellUrls.has(url.href)) event.respondWith(fromShell(url.href, request));
});

async function fromShell(href: string, request: Request): Promise<Response> {
  // `caches.match` only reads: a worker that was unregistered by a logout never recreates a cache.
  return (await caches.match(href, { cacheName })) ?? fetch(request);
}

async function pageFromNetworkOrShell(request: Request): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), NAVIGATION_TIMEOUT_MS);
  try {
    return await fetch(request, { signal: controller.signal });
  } catch (err) {
    const shell = await caches.match(indexUrl, { cacheName });
    if (shell) return shell;
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
