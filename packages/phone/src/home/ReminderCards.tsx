import { formatter } from '@latch/react';
import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { Icon } from '../ui/Icon';
import { PIN_PATTERN } from '../ui/PinDialog';
import { PinField } from '../ui/PinField';
import type { Reminders } from './useReminders';

export interface ReminderCardsProps {
  reminders: Reminders;
  onReviewDevices: () => void;
  onTwoStep: () => void;
}

/** Cards at the top of Chats for what needs the person's attention. */
export function ReminderCards({ reminders, onReviewDevices, onTwoStep }: ReminderCardsProps) {
  const r = reminders.reminders;
  if (!r) return null;
  const nothing =
    !r.pinReminderDue && !r.reviewDevicesDue && r.idleWarnings.length === 0 && r.pinResetAvailableAt === null;
  if (nothing) return null;
  return (
    <section className="reminders" aria-label="Reminders">
      {r.pinResetAvailableAt !== null && (
        <div className="reminder reminder--warn">
          <Icon name="alert" />
          <div className="reminder__body">
            <p className="reminder__title">Someone asked to register your number without your PIN</p>
            <p className="reminder__text">
              It can move to a new phone on {formatter.date(r.pinResetAvailableAt)}. If this was not you,
              change your PIN: that cancels the request.
            </p>
            <div className="reminder__actions">
              <button type="button" className="btn btn--secondary btn--small" onClick={onTwoStep}>
                Change PIN
              </button>
            </div>
          </div>
        </div>
      )}
      {r.idleWarnings.map((w) => (
        <div key={w.deviceId} className="reminder">
          <Icon name="clock" />
          <div className="reminder__body">
            <p className="reminder__title">{w.deviceName} will be logged out soon</p>
            <p className="reminder__text">
              It has not been used for a while and will be logged out at{' '}
              {formatter.clockWithDay(w.logoutAt, Date.now())}. Use Latch on it to keep it linked.
            </p>
          </div>
        </div>
      ))}
      {r.reviewDevicesDue && (
        <div className="reminder">
          <Icon name="laptop" />
          <div className="reminder__body">
            <p className="reminder__title">Review your linked devices</p>
            <p className="reminder__text">
              Check that you recognise every computer that can read your messages.
            </p>
            <div className="reminder__actions">
              <button
                type="button"
                className="btn btn--secondary btn--small"
                onClick={() => {
                  reminders.dismiss('review');
                  onReviewDevices();
                }}
              >
                Review
              </button>
              <button
                type="button"
                className="btn btn--text btn--small"
                onClick={() => reminders.dismiss('review')}
              >
                Not now
              </button>
            </div>
          </div>
        </div>
      )}
      {r.pinReminderDue && (
        <ConfirmPinCard onSkip={() => reminders.dismiss('pin')} onDone={reminders.reload} />
      )}
    </section>
  );
}

/** REM-2: "Confirm your PIN" so it is not forgotten. */
function ConfirmPinCard({ onSkip, onDone }: { onSkip: () => void; onDone: () => void }) {
  const session = useSession();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!PIN_PATTERN.test(pin)) {
      setError('Enter your 6-digit PIN.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.request('pin.confirm', { pin });
      onDone();
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };
  return (
    <form
      className="reminder"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void submit();
      }}
    >
      <Icon name="lock" />
      <div className="reminder__body">
        <p className="reminder__title">Confirm your PIN</p>
        <p className="reminder__text">Enter your two-step verification PIN so you remember it.</p>
        <PinField label="PIN" value={pin} onChange={setPin} error={error} />
        <div className="reminder__actions">
          <button type="submit" className="btn btn--primary btn--small" disabled={busy}>
            Confirm
          </button>
          <button type="button" className="btn btn--text btn--small" onClick={onSkip}>
            Skip
          </button>
        </div>
      </div>
    </form>
  );
}
