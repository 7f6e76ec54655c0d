import type { LinkEvent, LinkState } from '@latch/client';
import { ApiError, type DeviceKey } from '@latch/client';
import { type Dispatch, type RefObject, useEffect, useEffectEvent } from 'react';
import { checkApprovalMac, claimDevice } from './claimDevice';
import type { Attempt } from './linkAttempt';

/** After a lost link channel, a new attempt starts by itself this soon (or when the browser is back online). */
const RECONNECT_MS = 5_000;

export interface LinkedDevice {
  key: DeviceKey;
  deviceId: string;
}

/**
 * What happens once the phone approved, driven by the state: `verifying` checks the MAC, and
 * `claiming` (reachable only from a good MAC) redeems the claim code and keeps the key.
 */
export function useApprovalSteps(
  state: LinkState,
  attemptRef: RefObject<Attempt | null>,
  dispatch: Dispatch<LinkEvent>,
  onLinked: (device: LinkedDevice) => void,
): void {
  const linked = useEffectEvent(onLinked);

  useEffect(() => {
    const current = attemptRef.current;
    if (state.kind !== 'verifying' || !current?.key) return;
    let cancelled = false;
    const { account, mac } = state.approval;
    void checkApprovalMac(current.key.publicKey, account.identityKey, mac, current).then((ok) => {
      if (!cancelled) dispatch({ type: 'mac_checked', ok });
    });
    return () => {
      cancelled = true;
    };
  }, [state, attemptRef, dispatch]);

  useEffect(() => {
    const current = attemptRef.current;
    const key = current?.key;
    if (state.kind !== 'claiming' || !current || !key) return;
    let cancelled = false;
    claimDevice(key, state.approval.claimCode).then(
      (deviceId) => {
        current.channel?.close();
        if (cancelled) return;
        dispatch({ type: 'claimed', deviceId });
        linked({ key, deviceId });
      },
      (error: unknown) => {
        if (cancelled) return;
        const message = error instanceof ApiError ? error.message : 'This computer could not be linked.';
        dispatch({ type: 'claim_failed', message });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [state, attemptRef, dispatch]);
}

/** A link channel lost to the network comes back by itself instead of waiting for a click. */
export function useRetryAfterLoss(state: LinkState, retry: () => void): void {
  const retryNow = useEffectEvent(retry);
  useEffect(() => {
    if (state.kind !== 'failed' || state.failure.kind !== 'connection_lost') return;
    const timer = setTimeout(retryNow, RECONNECT_MS);
    addEventListener('online', retryNow);
    return () => {
      clearTimeout(timer);
      removeEventListener('online', retryNow);
    };
  }, [state]);
}
