import Bowser from 'bowser';

export interface DeviceLabel {
  browser: string;
  os: string;
  /** "Chrome on Linux". */
  name: string;
}

/** Names a device from its user agent, as people recognise it. */
export function describeUserAgent(userAgent: string | undefined): DeviceLabel {
  if (!userAgent) return { browser: 'Browser', os: 'Unknown OS', name: 'Unknown browser' };
  const parsed = Bowser.parse(userAgent);
  const browser = (parsed.browser.name ?? 'Browser').replace(/^Chromium$/, 'Chromium');
  const os = parsed.os.name ?? 'Unknown OS';
  return { browser, os, name: `${browser} on ${os}` };
}
