import {
  browserHttpTransport,
  browserSocketTransport,
  createLinkFlow,
  type DeviceKey,
  DeviceKeyStore,
  deviceSigner,
  generateDeviceKey,
  type LinkFlow,
  type LinkFlowSnapshot,
  type LinkStart,
  type LinkState,
  QR_START,
} from '@latch/client';
import { encodeQrPayload } from '@latch/protocol';
import { useEffect, useEffectEvent, useState, useSyncExternalStore } from 'react';
import { finishPendingLogoutWithRetry } from '../app/pendingLogout';
import { KEY_STORE_NAME, STORAGE_KEYS, writeStorage } from '../app/storageKeys';

/** After a lost link channel, a new attempt starts by itself this soon (or when the browser is back online). */
const RECONNECT_MS = 5_000;

export interface LinkedDevice {
  key: DeviceKey;
  deviceId: string;
}

export interface LinkFlowView {
  state: LinkState;
  /** The text to draw as a QR code, only while a live ref is shown. */
  qrText: string | null;
  /** Starts over; with a number, straight back to a fresh linking code for it. */
  restart: (phoneNumber?: string) => void;
  openPhoneForm: () => void;
  submitPhone: (phoneNumber: string) => void;
  backToQr: () => void;
}

const BEFORE_FLOW: LinkFlowSnapshot = { state: { kind: 'generating_key' }, qr: null };
const noFlow = () => () => undefined;

/**
 * The page's side of the engine's link flow (ENG-15) over the browser's socket: each run (first
 * mount, restart, "Keep me signed in" changed) is a new flow with a new non-extractable key.
 */
export function useLinkFlow(keepSignedIn: boolean, onLinked: (device: LinkedDevice) => void): LinkFlowView {
  const [run, setRun] = useState<{ start: LinkStart }>({ start: QR_START });
  const [flow, setFlow] = useState<LinkFlow | null>(null);
  const linked = useEffectEvent(onLinked);

  useEffect(() => {
    const controller = new AbortController();
    const current = startAttempt(keepSignedIn, run.start, controller.signal, linked);
    setFlow(current);
    return () => {
      controller.abort();
      current.close();
    };
  }, [keepSignedIn, run]);

  const { state, qr } = useSyncExternalStore(
    flow?.subscribe ?? noFlow,
    flow?.getSnapshot ?? (() => BEFORE_FLOW),
  );
  useRetryAfterLoss(state, () => setRun({ start: QR_START }));

  const restart = (start: LinkStart = QR_START) => setRun({ start });
  const settled = state.kind === 'expired' || state.kind === 'failed';
  return {
    state,
    qrText: qr && encodeQrPayload({ origin: location.origin, ...qr }),
    restart: (phoneNumber) => restart(phoneNumber ? { phoneForm: true, phoneNumber } : QR_START),
    openPhoneForm: () => {
      if (settled) restart({ phoneForm: true, phoneNumber: null });
      else flow?.openPhoneForm();
    },
    submitPhone: (phoneNumber) => flow?.submitPhone(phoneNumber),
    backToQr: () => {
      if (settled || !flow) return restart();
      flow.backToQr();
    },
  };
}

/**
 * One attempt: a fresh key, then any pending logout (OUT-8: its answer must not clear the new
 * cookie), then the link channel. Only a successful claim makes the key this browser's device key.
 */
function startAttempt(
  keepSignedIn: boolean,
  start: LinkStart,
  signal: AbortSignal,
  onLinked: (device: LinkedDevice) => void,
): LinkFlow {
  const key = generateDeviceKey();
  return createLinkFlow({
    origin: location.origin,
    sockets: browserSocketTransport,
    http: browserHttpTransport,
    keepSignedIn,
    start,
    signer: key.then(async (k) => {
      await finishPendingLogoutWithRetry(signal);
      return deviceSigner(k);
    }),
    onClaimed: async (deviceId) => {
      const claimed = await key;
      await new DeviceKeyStore(KEY_STORE_NAME).save(claimed);
      writeStorage(STORAGE_KEYS.deviceId, deviceId);
      if (!signal.aborted) onLinked({ key: claimed, deviceId });
    },
  });
}

/** A link channel lost to the network comes back by itself instead of waiting for a click. */
function useRetryAfterLoss(state: LinkState, retry: () => void): void {
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
