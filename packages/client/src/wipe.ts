/**
 * Storage APIs can stall while the browser applies a `Clear-Site-Data` answer (which clears the
 * same things); a logout must not wait on them for ever. A step that times out counts as failed.
 */
export const WIPE_STEP_TIMEOUT_MS = 3_000;

/**
 * Forgets everything this origin stored in the browser: every IndexedDB database (device key,
 * message cache), Cache Storage, service workers, local and session storage. Each step runs even
 * if another fails, so one broken API cannot leave data behind.
 */
export async function wipeBrowserData(): Promise<string[]> {
  const failures: string[] = [];
  const step = async (name: string, fn: () => Promise<unknown> | unknown) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), WIPE_STEP_TIMEOUT_MS);
    });
    try {
      await Promise.race([Promise.resolve().then(fn), late]);
    } catch {
      failures.push(name);
    } finally {
      clearTimeout(timer);
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
