import { PhoneIcon } from '../ui/icons';
import './MatchNumber.css';

/**
 * LNK-16: the phone is on another network, so it asks the person to pick this number. Shown large,
 * in place of the QR, while the phone decides.
 */
export function MatchNumber({ number, className = '' }: { number: number; className?: string }) {
  return (
    <div className={`match-number ${className}`} role="status">
      <PhoneIcon className="match-number-icon" />
      <p className="match-number-title">Enter this number on your phone</p>
      <output className="match-number-value" aria-label="Number to pick on your phone">
        {number}
      </output>
      <p className="match-number-hint">Then tap “Link device”. Never pick a number someone tells you.</p>
    </div>
  );
}
