import { Component, type ErrorInfo, type ReactNode } from 'react';
import { LatchMark } from '../ui/icons';
import './SplashScreen.css';

interface State {
  failed: boolean;
}

/**
 * The last line of defence against a blank page: any render error, including a lazily loaded part
 * of the app that failed to download (after an upgrade, or on a flaky network), shows what happened
 * and a Reload button. A reload fetches the current page and its files again.
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console is the only place a person reporting the problem can copy it from.
    console.error('Latch stopped rendering', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="splash">
        <LatchMark className="splash-mark" />
        <h1 className="splash-title">Latch could not load</h1>
        <p className="splash-message" role="alert">
          Part of the app did not load. This can happen after Latch was updated or when the connection
          dropped. Your chats and your link to your phone are safe.
        </p>
        <button type="button" className="splash-button" onClick={() => location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}
