import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` while mounted (for countdowns and "5 min ago"). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
