import { normalizePhoneInput } from '@latch/protocol';
import type { Page } from 'playwright-core';
import type { TestServer } from './server';

export interface RegisterPhoneOptions {
  /** As a person types it ("+1 555 123 4567") or E.164. */
  phoneNumber: string;
  /** The profile name, asked for new accounts. */
  name: string;
}

/**
 * Drives the phone app at /phone/ from the first screen to the signed-in home screen, reading the
 * verification code from the server's console SMS output. Returns the E.164 number.
 */
export async function registerPhone(
  page: Page,
  server: TestServer,
  opts: RegisterPhoneOptions,
): Promise<string> {
  const e164 = normalizePhoneInput(opts.phoneNumber);
  await page.goto(`${server.url}/phone/`);
  await page.getByRole('textbox', { name: 'Phone number' }).fill(opts.phoneNumber);
  const mark = server.output().length;
  await page.getByRole('textbox', { name: 'Phone number' }).press('Enter');
  const codeBox = page.getByRole('textbox', { name: 'Verification code' });
  await codeBox.waitFor();
  await codeBox.fill(await server.waitForSmsCode(e164, { after: mark }));
  await codeBox.press('Enter');
  const nameBox = page.getByRole('textbox', { name: 'Your name' });
  const home = page.getByRole('tab', { name: 'Chats' });
  await nameBox.or(home).first().waitFor();
  if (await nameBox.isVisible()) {
    await nameBox.fill(opts.name);
    await nameBox.press('Enter');
  }
  await home.waitFor();
  return e164;
}
