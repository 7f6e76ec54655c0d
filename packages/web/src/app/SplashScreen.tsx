import { LatchMark } from '../ui/icons';
import './SplashScreen.css';

/** The light screen shown while a linked browser reconnects (never the QR: LNK-13). */
export function SplashScreen({ message }: { message: string }) {
  return (
    <div className="splash">
      <LatchMark className="splash-mark" />
      <p className="splash-name">Latch</p>
      <div className="splash-progress" aria-hidden="true">
        <div className="splash-progress-bar" />
      </div>
      <p className="splash-message" role="status">
        {message}
      </p>
    </div>
  );
}
