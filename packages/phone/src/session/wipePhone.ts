import { APP_HEADERS, wipeBrowserData } from '@latch/client';

/** Forgets this phone's key and data, and asks the server to drop the cookie (401s carry Clear-Site-Data). */
export async function wipePhone(): Promise<void> {
  await wipeBrowserData();
  try {
    await fetch('/v1/session?client=phone', { credentials: 'same-origin', headers: APP_HEADERS });
  } catch {
    // Offline: the cookie is useless without the key we just deleted.
  }
}
