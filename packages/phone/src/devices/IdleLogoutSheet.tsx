import { IDLE_LOGOUT_CHOICES, type IdleLogoutDays } from '@latch/protocol';
import { useAsyncAction } from '@latch/react';
import { useSession, useSnapshot } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { Sheet } from '../ui/Sheet';

const LABELS: Record<IdleLogoutDays, string> = {
  7: '1 week',
  30: '1 month',
  90: '3 months',
  180: '6 months',
};

/** "After 1 month": how long a computer may go unused before it is logged out. */
export function idleLogoutLabel(days: IdleLogoutDays): string {
  return `After ${LABELS[days]}`;
}

/** IDLE-2: choose the account's idle limit for linked computers. */
export function IdleLogoutSheet({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const { account } = useSnapshot();

  const choosing = useAsyncAction(
    async (days: IdleLogoutDays) => {
      session.setAccount(await session.request('account.setIdleLogout', { days }));
      onClose();
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = choosing;
  const choose = choosing.run;

  return (
    <Sheet title="Log out inactive computers" onClose={onClose}>
      <p className="muted">A linked computer that is not used for this long is logged out and wiped.</p>
      <fieldset className="choice-list" disabled={busy}>
        <legend className="visually-hidden">Log out computers inactive for</legend>
        {IDLE_LOGOUT_CHOICES.map((days) => (
          <label key={days} className="choice">
            <input
              type="radio"
              name="idle-logout"
              value={days}
              checked={account?.idleLogoutDays === days}
              onChange={() => void choose(days)}
              // Picking the current choice again changes nothing: just close.
              onClick={() => account?.idleLogoutDays === days && onClose()}
            />
            {idleLogoutLabel(days)}
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Sheet>
  );
}
