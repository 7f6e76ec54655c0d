import { BrandMark } from './registration/BrandMark';

/** While the app decides where to start, or wipes itself. */
export function Splash({ message }: { message: string | null }) {
  return (
    <main className="splash" aria-busy="true">
      <BrandMark />
      <span className="splash__name">Latch</span>
      {message && (
        <p className="splash__message" role="status">
          {message}
        </p>
      )}
    </main>
  );
}
