import type { SecurityEventView } from '@latch/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useServerEvent, useSession } from '../session/SessionContext';

/** How long the calm "Linked: …" confirmation of the person's own approval stays. */
export const CONFIRMATION_MS = 10_000;

/**
 * A computer was linked (LNK-12). `confirmation`: this phone approved it just now, nothing to fear;
 * `alarm`: approved elsewhere (another tab of this phone app), so "Not you? Log it out";
 * `logged_out`: the alarm's own Log out worked.
 */
export interface LinkAlert {
  eventId: string;
  deviceId: string;
  deviceName: string;
  kind: 'confirmation' | 'alarm' | 'logged_out';
}

export interface LinkAlerts {
  alerts: LinkAlert[];
  dismiss: (eventId: string) => void;
  markLoggedOut: (eventId: string) => void;
}

/**
 * The "device linked" alerts of the signed-in phone. An alert goes away when it no longer applies:
 * its device is logged out (here, elsewhere, or by "Log out from all devices"), it is dismissed,
 * or (a confirmation) after {@link CONFIRMATION_MS}.
 */
export function useLinkAlerts(): LinkAlerts {
  const session = useSession();
  const [alerts, setAlerts] = useState<LinkAlert[]>([]);
  const dismiss = useCallback((eventId: string) => {
    setAlerts((list) => list.filter((a) => a.eventId !== eventId));
  }, []);

  useServerEvent('security.event', ({ event }) => {
    if (event.type !== 'device_linked' || !event.deviceId) return;
    void alertFor(event, session.approvals.approvedHere(event.deviceId)).then((alert) => {
      if (alert) setAlerts((list) => [...list.filter((a) => a.deviceId !== alert.deviceId), alert]);
    });
  });

  // Device gone, alert gone: whatever logged it out, the devices list is the truth.
  const hasAlerts = alerts.some((a) => a.kind !== 'logged_out');
  const prune = useCallback(async () => {
    const { devices } = await session.request('devices.list', {});
    // Only a device listed as logged out is gone: one just approved is not listed until its browser
    // has claimed its session, and its alarm must not vanish in that moment.
    const gone = new Set(devices.filter((d) => d.status === 'logged_out').map((d) => d.id));
    setAlerts((list) => list.filter((a) => a.kind === 'logged_out' || !gone.has(a.deviceId)));
  }, [session]);
  useServerEvent('devices.changed', () => {
    if (hasAlerts) void prune().catch(() => undefined);
  });

  const timedOut = alerts.filter((a) => a.kind !== 'alarm').map((a) => a.eventId);
  const timedOutKey = timedOut.join(',');
  useEffect(() => {
    if (!timedOutKey) return;
    const timers = timedOutKey.split(',').map((id) => setTimeout(() => dismiss(id), CONFIRMATION_MS));
    return () => {
      for (const t of timers) clearTimeout(t);
    };
  }, [timedOutKey, dismiss]);

  return {
    alerts,
    dismiss,
    markLoggedOut: (eventId) =>
      setAlerts((list) => list.map((a) => (a.eventId === eventId ? { ...a, kind: 'logged_out' } : a))),
  };
}

async function alertFor(event: SecurityEventView, mine: Promise<boolean>): Promise<LinkAlert | null> {
  if (!event.deviceId) return null;
  return {
    eventId: event.id,
    deviceId: event.deviceId,
    deviceName: event.deviceName ?? 'A computer',
    kind: (await mine) ? 'confirmation' : 'alarm',
  };
}
