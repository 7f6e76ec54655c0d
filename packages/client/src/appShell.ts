/**
 * Registers the app's service worker (`sw.js` at the app's base, see `sw/appShellWorker.ts`) once the
 * page has loaded, so precaching never competes with the first render. Production builds only: the
 * Vite dev server has no worker. Failures are ignored: the app works without it, only not offline.
 */
export function registerAppShell(base: string): void {
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(`${base}sw.js`, { scope: base }).catch(() => undefined);
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
