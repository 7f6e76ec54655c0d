import type { PluginOption } from 'vite';
import { type AppShellOptions, appShell } from './appShell';
import { keepPreviousBuilds } from './keepPreviousBuilds';
import { precompress } from './precompress';

export { type AppShellManifest, appShell, SERVICE_WORKER_FILE } from './appShell';
export { KEEP_PREVIOUS_BUILDS_MS, keepPreviousBuilds, pruneOldAssets } from './keepPreviousBuilds';
export { PRECOMPRESS_MIN_BYTES, precompress, precompressDir } from './precompress';

/** Everything a Latch app's production build needs beyond React: app shell, old files kept, compression. */
export function latchAppBuild(opts: AppShellOptions = {}): PluginOption[] {
  return [appShell(opts), keepPreviousBuilds(), precompress()];
}
