import type { DeviceView } from '@latch/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useOnReady, useServerEvent, useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';

/** "Last active" and online flags drift; refetch this often while the screen is open. */
export const DEVICES_REFRESH_MS = 30_000;

export interface DevicesState {
  devices: DeviceView[];
  loaded: boolean;
  error: string | null;
  reload: () => void;
}

/** The account's devices, refetched on `devices.changed`, after reconnects and every 30 s. */
export function useDevices(): DevicesState {
  const session = useSession();
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    session.request('devices.list', {}).then(
      (result) => {
        setDevices(result.devices);
        setLoaded(true);
        setError(null);
      },
      (err: unknown) => {
        setLoaded(true);
        setError(errorMessage(err));
      },
    );
  }, [session]);

  useOnReady(reload);
  useServerEvent('devices.changed', reload);
  useEffect(() => {
    const timer = setInterval(reload, DEVICES_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  return { devices, loaded, error, reload };
}
