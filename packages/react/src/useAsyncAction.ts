import { useCallback, useEffect, useRef, useState } from 'react';

/** Where one user action stands (Signal's "Loadable"): every button with a spinner renders these. */
export type ActionState<T> =
  | { status: 'idle' }
  | { status: 'busy' }
  | { status: 'error'; error: unknown; message: string }
  | { status: 'done'; value: T };

export interface AsyncAction<A extends unknown[], T> {
  state: ActionState<T>;
  busy: boolean;
  /** The error's words for people, or null. */
  error: string | null;
  /** Runs the action unless one is already running; resolves with its value, or undefined on error. */
  run: (...args: A) => Promise<T | undefined>;
  /** Back to idle (closing a form, editing the input after an error). */
  reset: () => void;
  /** Shows an error that did not come from the action (input checked before sending). */
  fail: (message: string) => void;
}

/**
 * One async user action with busy / error / done, replacing hand-written `setBusy` + try/catch.
 * A second `run` while busy is ignored (double clicks); results after unmount are dropped.
 */
export function useAsyncAction<A extends unknown[], T>(
  action: (...args: A) => Promise<T>,
  /** The app's words for an error (each app has its own voice). */
  describe: (error: unknown) => string,
): AsyncAction<A, T> {
  const [state, setState] = useState<ActionState<T>>({ status: 'idle' });
  const running = useRef(false);
  const mounted = useRef(true);
  const latest = useRef({ action, describe });
  latest.current = { action, describe };
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    if (running.current) return undefined;
    running.current = true;
    setState({ status: 'busy' });
    try {
      const value = await latest.current.action(...args);
      if (mounted.current) setState({ status: 'done', value });
      return value;
    } catch (error) {
      if (mounted.current) setState({ status: 'error', error, message: latest.current.describe(error) });
      return undefined;
    } finally {
      running.current = false;
    }
  }, []);
  const reset = useCallback(() => setState({ status: 'idle' }), []);
  const fail = useCallback(
    (message: string) => setState({ status: 'error', error: new Error(message), message }),
    [],
  );

  return {
    state,
    busy: state.status === 'busy',
    error: state.status === 'error' ? state.message : null,
    run,
    reset,
    fail,
  };
}
