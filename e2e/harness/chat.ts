/**
 * Chat helpers for specs whose subject is the computer (the web app in Chromium); the phones are
 * headless ({@link HeadlessPhone}, from `./headlessPhone`).
 */
import type { MessageView } from '@latch/protocol';
import type { Locator, Page } from 'playwright-core';
import type { HeadlessPhone } from './headlessPhone';

/** The web app's local cache database (must be gone after a logout). */
export const CACHE_DB_NAME = 'latch-web-cache';

let counter = 0;

/** Sends a message from a headless device; the clientMsgId is fresh each time. */
export function sendAs(phone: HeadlessPhone, chatId: string, text: string): Promise<MessageView> {
  counter += 1;
  const clientMsgId = `e2e-${Date.now().toString(36)}-${counter}`;
  return phone.socket.request('messages.send', { chatId, clientMsgId, text });
}

/** Resolves when a headless device has received a message with this text live. */
export async function receivedLive(phone: HeadlessPhone, text: string): Promise<MessageView> {
  const frame = await phone.socket.waitFor('message', (f) => f.message.text === text);
  return frame.message;
}

/** The computer's chat list (the "Chats" region). */
export function chatList(page: Page): Locator {
  return page.getByRole('region', { name: 'Chats' });
}

/** The row of a chat in the computer's list, by its title (the start of the row's name). */
export function chatRow(page: Page, title: string): Locator {
  const escaped = title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return chatList(page).getByRole('button', { name: new RegExp(`^${escaped}(\\s|$)`) });
}

/** Opens a chat from the list and waits for its message log. */
export async function openChat(page: Page, title: string): Promise<void> {
  await chatRow(page, title).click();
  await page.getByRole('log', { name: `Messages with ${title}` }).waitFor();
}

/** Types a message into the open conversation and sends it with Enter. */
export async function sendFromComputer(page: Page, text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Type a message' });
  await box.fill(text);
  await box.press('Enter');
}

/** The messages (`article`s) of the open conversation's log. */
export function messageRows(page: Page): Locator {
  return page.getByRole('log').getByRole('article');
}

/** Waits until the open conversation shows a message containing `text`. */
export async function waitForMessage(page: Page, text: string, timeout = 15_000): Promise<void> {
  await messageRows(page).filter({ hasText: text }).first().waitFor({ timeout });
}

/** The numbers N of every shown message whose text matches `prefix N`, in the log's order. */
export async function numberedMessages(page: Page, prefix: string): Promise<number[]> {
  const texts = await messageRows(page).allInnerTexts();
  const pattern = new RegExp(`${prefix} (\\d+)\\b`);
  const out: number[] = [];
  for (const t of texts) {
    const m = pattern.exec(t);
    if (m?.[1]) out.push(Number(m[1]));
  }
  return out;
}

/** The names of the IndexedDB databases the page's origin holds. */
export function indexedDbNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** Polls `check` until it returns true or the time is up; says what it waited for when it fails. */
export async function eventually(
  what: string,
  check: () => Promise<boolean>,
  timeout = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for: ${what}`);
}

/** What the web app's local cache holds (counts only), read straight from IndexedDB. */
export interface CacheSummary {
  chats: number;
  messages: number;
  cursor: number | null;
}

export function readCacheSummary(page: Page): Promise<CacheSummary | null> {
  return page.evaluate(
    (name) =>
      new Promise<CacheSummary | null>((resolve) => {
        const request = indexedDB.open(name);
        request.onupgradeneeded = () => request.transaction?.abort();
        request.onerror = () => resolve(null);
        request.onsuccess = () => {
          const db = request.result;
          const tx = db.transaction(['meta', 'chats', 'messages']);
          const meta = tx.objectStore('meta').get('meta');
          const chats = tx.objectStore('chats').count();
          const messages = tx.objectStore('messages').count();
          tx.oncomplete = () => {
            db.close();
            const value: unknown = meta.result;
            const cursor =
              typeof value === 'object' &&
              value !== null &&
              'cursor' in value &&
              typeof value.cursor === 'number'
                ? value.cursor
                : null;
            resolve({ chats: chats.result, messages: messages.result, cursor });
          };
        };
      }),
    CACHE_DB_NAME,
  );
}
