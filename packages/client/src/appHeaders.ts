import { APP_REQUEST_HEADER, APP_REQUEST_HEADER_VALUE } from '@latch/protocol';

/**
 * Headers every request of the apps carries: marks it as the app's own (SEC-3), so the server may
 * answer it with `Clear-Site-Data`. A cross-site `<img>` or form cannot set them.
 */
export const APP_HEADERS: Readonly<Record<string, string>> = {
  [APP_REQUEST_HEADER]: APP_REQUEST_HEADER_VALUE,
};
