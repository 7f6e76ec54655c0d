import { useCallback, useEffect, useRef } from 'react';

const MARK = 'latch-sub-screen';

/**
 * Makes the phone's Back button (and the browser's) leave a sub-screen instead of the app: entering a
 * sub-screen pushes one history entry; Back pops it and calls `onBack`; leaving by the on-screen arrow
 * consumes the entry so history does not grow.
 */
export function useBackButton(inSubScreen: boolean, onBack: () => void): void {
  const onBackRef = useRef(onBack);
  onBackRef.current = onBack;
  const pushed = useRef(false);

  useEffect(() => {
    if (inSubScreen && !pushed.current) {
      history.pushState({ [MARK]: true }, '');
      pushed.current = true;
    } else if (!inSubScreen && pushed.current) {
      pushed.current = false;
      if (isMarked(history.state)) history.back();
    }
  }, [inSubScreen]);

  const onPop = useCallback(() => {
    if (!pushed.current) return;
    pushed.current = false;
    onBackRef.current();
  }, []);

  useEffect(() => {
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, [onPop]);
}

function isMarked(state: unknown): boolean {
  return typeof state === 'object' && state !== null && MARK in state;
}
