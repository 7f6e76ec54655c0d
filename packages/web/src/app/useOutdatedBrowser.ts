import { requestJson } from '@latch/client';
import { ClientConfigResponse } from '@latch/protocol';
import { useEffect, useState } from 'react';
import { detectBrowser, type OutdatedBrowser, outdatedBrowser } from './browserSupport';

let check: Promise<OutdatedBrowser | null> | null = null;

/** Asks the server once per page load; any failure means "no banner", never a broken page. */
function checkBrowser(): Promise<OutdatedBrowser | null> {
  check ??= requestJson('GET', '/v1/client-config', ClientConfigResponse).then(
    (config) => outdatedBrowser(detectBrowser(navigator.userAgent), config),
    () => null,
  );
  return check;
}

/** UA-1: the browser's details when it is older than the operator's minimum, else null. */
export function useOutdatedBrowser(): OutdatedBrowser | null {
  const [outdated, setOutdated] = useState<OutdatedBrowser | null>(null);
  useEffect(() => {
    let cancelled = false;
    void checkBrowser().then((result) => {
      if (!cancelled) setOutdated(result);
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return outdated;
}
