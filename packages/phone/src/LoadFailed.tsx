import { BrandMark } from './registration/BrandMark';

/** The phone's fallback for the shared ErrorBoundary: what happened, and a Reload button. */
export function LoadFailed() {
  return (
    <main className="splash">
      <BrandMark />
      <h1 className="splash__title">Latch could not load</h1>
      <p className="splash__message" role="alert">
        Part of the app did not load. This can happen after Latch was updated or when the connection dropped.
        Your chats and linked devices are safe.
      </p>
      <button type="button" className="btn btn--primary" onClick={() => location.reload()}>
        Reload
      </button>
    </main>
  );
}
