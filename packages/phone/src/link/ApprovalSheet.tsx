import { useState } from 'react';
import { Icon } from '../ui/Icon';
import { PIN_PATTERN } from '../ui/PinDialog';
import { Sheet } from '../ui/Sheet';
import { TextField } from '../ui/TextField';
import { useNow } from '../ui/useNow';
import { NumberChoices } from './NumberChoices';
import type { Review } from './useLinkFlow';

export interface ApprovalSheetProps {
  review: Review;
  onApprove: (pin: string | undefined, matchNumber: number | undefined) => void;
  onCancel: () => void;
}

/** "Link this device?": who is asking, from where, how fresh the code is; Link device or Cancel. */
export function ApprovalSheet({ review, onApprove, onCancel }: ApprovalSheetProps) {
  const { preview } = review;
  const now = useNow(1000);
  const [pin, setPin] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const choices = preview.matchChoices;
  // LNK-16: only the server knows the right number; the phone waits for a pick, not for the right one.
  const mustPick = choices !== null && picked === null;
  const ageSeconds = Math.max(0, Math.round((preview.ageMs + now - review.receivedAt) / 1000));

  const approve = () => {
    if (review.pinRequired && !PIN_PATTERN.test(pin)) {
      setPinError('Enter your 6-digit PIN.');
      return;
    }
    setPinError(null);
    onApprove(review.pinRequired ? pin : undefined, picked ?? undefined);
  };

  return (
    <Sheet title="Link this device?" onClose={onCancel}>
      <form
        className="approval"
        onSubmit={(e) => {
          e.preventDefault();
          if (!review.busy && !mustPick) approve();
        }}
      >
        <div className="approval__device">
          <span className="approval__icon" aria-hidden="true">
            <Icon name="laptop" />
          </span>
          <span className="approval__name">{preview.deviceName}</span>
        </div>
        <ul className="approval__facts">
          <li>
            <Icon name="laptop" />
            {preview.browser} on {preview.os}
          </li>
          <li className={preview.sameNetwork ? undefined : 'approval__fact--warn'}>
            <Icon name={preview.sameNetwork ? 'wifi' : 'alert'} />
            {preview.sameNetwork ? 'Same network as this phone' : 'Different network'}
          </li>
          <li>
            <Icon name="globe" />
            IP address {preview.ip}
          </li>
          <li>
            <Icon name="clock" />
            Code shown {ageSeconds} s ago
          </li>
        </ul>
        {choices && (
          <NumberChoices choices={choices} picked={picked} onPick={setPicked} disabled={review.busy} />
        )}
        <p className="approval__warning">
          Link only a computer you are using right now. It will be able to read and send your messages.
        </p>
        {review.pinRequired && (
          <TextField
            label="PIN"
            secret
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            value={pin}
            onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 6))}
            error={pinError}
            focusOnMount
          />
        )}
        {review.error && (
          <p className="form-error" role="alert">
            {review.error}
          </p>
        )}
        <div className="button-row button-row--equal">
          <button type="button" className="btn btn--choice" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn--choice btn--choice-accept"
            disabled={review.busy || mustPick}
          >
            {review.busy ? 'Linking…' : 'Link device'}
          </button>
        </div>
      </form>
    </Sheet>
  );
}
