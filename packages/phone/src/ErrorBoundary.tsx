import { Component, type ErrorInfo, type ReactNode } from 'react';
import { BrandMark } from './registration/BrandMark';

interface State {
  failed: boolean;
}

/**
 * The last line of defence against a blank screen: any render error, including a part of the app
 * that failed to download (after an upgrade, or on a flaky network), shows what happened and a
 * Reload button. A reload fetches the current app again.
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
        <BrandMark />
        <h1 className="splash__title">Latch could not load</h1>
        <p className="splash__message" role="alert">
          Part of the app did not load. This can happen after Latch was updated or when the connection
          dropped. Your chats and linked devices are safe.
        </p>
        <button type="button" className="btn btn--primary" onClick={() => location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}
