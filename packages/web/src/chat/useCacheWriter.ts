import { useEffect, useEffectEvent, useRef } from 'react';
import type { LinkedIdentity } from '../app/Connection';
import type { ChatCache } from '../cache/ChatCache';
import { cacheDelta } from '../cache/cacheDelta';
import type { ChatsState } from './chatsReducer';

/** The cache keeps this many of each chat's newest messages. */
export const CACHE_KEEP_PER_CHAT = 200;
/** Changes are written at most this often (a burst of messages is one transaction). */
const WRITE_EVERY_MS = 300;

/**
 * Mirrors the reducer into the local cache: what changed since the last write, at most every
 * 300 ms, and at once when the page is hidden or closed. Cursor and messages go in one
 * transaction, so the stored cursor never runs ahead of the stored messages.
 */
export function useCacheWriter(cache: ChatCache, state: ChatsState, identity: LinkedIdentity): void {
  const written = useRef(state);
  const latest = useRef({ state, identity });
  latest.current = { state, identity };
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const flush = useEffectEvent(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const { state: next, identity: who } = latest.current;
    if (next === written.current) return;
    const delta = cacheDelta(written.current, next, CACHE_KEEP_PER_CHAT);
    written.current = next;
    void cache.write(delta, who);
  });

  useEffect(() => {
    if (state === written.current || timer.current) return;
    timer.current = setTimeout(() => flush(), WRITE_EVERY_MS);
  }, [state]);

  useEffect(() => {
    const onHide = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    const onPageHide = () => flush();
    document.addEventListener('visibilitychange', onHide);
    addEventListener('pagehide', onPageHide);
    return () => {
      document.removeEventListener('visibilitychange', onHide);
      removeEventListener('pagehide', onPageHide);
      flush();
    };
  }, []);
}
