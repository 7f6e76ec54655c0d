import { LatchMark } from '../ui/icons';
import './SplashScreen.css';

/** The web's fallback for the shared ErrorBoundary: what happened, and a Reload button. */
export function LoadFailed() {
  return (
    <main className="splash">
      <LatchMark className="splash-mark" />
      <h1 className="splash-title">Latch could not load</h1>
      <p className="splash-message" role="alert">
        Part of the app did not load. This can happen after Latch was updated or when the connection dropped.
        Your chats and your link to your phone are safe.
      </p>
      <button type="button" className="splash-button" onClick={() => location.reload()}>
        Reload
      </button>
    </main>
  );
}
