import { Component, type ErrorInfo, type ReactNode } from 'react';

interface ErrorBoundaryProps {
  children: ReactNode;
  /** What the app shows instead (its own look and words), usually with a Reload button. */
  fallback: ReactNode;
}

interface State {
  failed: boolean;
}

/**
 * The last line of defence against a blank page, for both apps: any render error, including a lazily
 * loaded part of the app that failed to download (after an upgrade, or on a flaky network), shows the
 * app's fallback. A reload fetches the current page and its files again.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // The console is the only place a person reporting the problem can copy it from.
    console.error('Latch stopped rendering', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
