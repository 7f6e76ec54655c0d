/**
 * Forgets everything this origin stored in the browser: every IndexedDB database (device key,
 * message cache), Cache Storage, service workers, local and session storage. Each step runs even
 * if another fails, so one broken API cannot leave data behind.
 */
export async function wipeBrowserData(): Promise<string[]> {
  const failures: string[] = [];
  const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
    try {
      await fn();
    } catch {
      failures.push(name);
    }
  };
  await step('indexedDB', async () => {
    const dbs = await indexedDB.databases();
    await Promise.all(
      dbs.map(
        (db) =>
          new Promise<void>((resolve) => {
            if (!db.name) return resolve();
            const req = indexedDB.deleteDatabase(db.name);
            req.onsuccess = req.onerror = req.onblocked = () => resolve();
          }),
      ),
    );
  });
  await step('caches', async () => {
    if (!('caches' in globalThis)) return;
    for (const name of await caches.keys()) await caches.delete(name);
  });
  await step('serviceWorker', async () => {
    if (!('serviceWorker' in navigator)) return;
    for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
  });
  await step('localStorage', () => localStorage.clear());
  await step('sessionStorage', () => sessionStorage.clear());
  return failures;
}

/** Tabs of the same app tell each other to wipe (and return to the QR page) at once. */
export function logoutChannel(
  app: string,
  onLogout: (reason: string) => void,
): { announce: (reason: string) => void; close: () => void } {
  const channel = new BroadcastChannel(`latch-${app}-logout`);
  channel.onmessage = (ev) => {
    if (
      typeof ev.data === 'object' &&
      ev.data !== null &&
      'reason' in ev.data &&
      typeof ev.data.reason === 'string'
    ) {
      onLogout(ev.data.reason);
    }
  };
  return {
    announce: (reason) => channel.postMessage({ reason }),
    close: () => channel.close(),
  };
}
