import Bowser from 'bowser';

export interface DeviceLabel {
  browser: string;
  os: string;
  /** "Chrome on Linux". */
  name: string;
}

/** Real user agents are a few hundred characters; the parser never sees more (IN-5). */
const MAX_USER_AGENT_CHARS = 512;
const UNKNOWN: DeviceLabel = { browser: 'Browser', os: 'Unknown OS', name: 'Unknown browser' };

/** Names a device from its user agent, as people recognise it. Any header, however odd, gets a name. */
export function describeUserAgent(userAgent: string | undefined): DeviceLabel {
  if (!userAgent) return UNKNOWN;
  try {
    const parsed = Bowser.parse(userAgent.slice(0, MAX_USER_AGENT_CHARS));
    const browser = (parsed.browser.name ?? 'Browser').replace(/^Chromium$/, 'Chromium');
    const os = parsed.os.name ?? 'Unknown OS';
    return { browser, os, name: `${browser} on ${os}` };
  } catch {
    return UNKNOWN;
  }
}
