import type { RemindersView } from '@latch/protocol';
import { useCallback, useState } from 'react';
import { useOnReady, useServerEvent, useSession } from '../session/SessionContext';

export interface Reminders {
  reminders: RemindersView | null;
  dismiss: (kind: 'pin' | 'review') => void;
  reload: () => void;
}

/** The phone's nudges (REM-1, REM-2, IDLE-1, PIN-5), refreshed when devices or the account change. */
export function useReminders(): Reminders {
  const session = useSession();
  const [reminders, setReminders] = useState<RemindersView | null>(null);

  const reload = useCallback(() => {
    session.request('reminders.get', {}).then(setReminders, () => undefined);
  }, [session]);
  useOnReady(reload);
  useServerEvent('devices.changed', reload);
  useServerEvent('account.changed', reload);

  const dismiss = useCallback(
    (kind: 'pin' | 'review') => {
      session.request('reminders.dismiss', { kind }).then(setReminders, () => undefined);
    },
    [session],
  );

  return { reminders, dismiss, reload };
}
