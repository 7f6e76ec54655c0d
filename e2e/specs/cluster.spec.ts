import { randomInt } from 'node:crypto';
import { type DeviceSocket, registerHeadlessPhone } from '@latch/client/node';
import {
  allAvailable,
  busUrlWithChannel,
  createTestDatabase,
  probePostgres,
  probeRedis,
  type TestDatabase,
} from '@latch/server/testBackends';
import { Redis } from 'ioredis';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, PHONE_VIEWPORT } from '../harness/browser';
import { linkComputer } from '../harness/link';
import { registerPhone } from '../harness/phone';
import { startServer, type TestServer } from '../harness/server';
import { startTcpProxy, type TcpProxy } from '../harness/tcpProxy';

/**
 * NODE-5: the product on a cluster. Two nodes share one PostgreSQL database and one Redis, behind one
 * origin (a TCP proxy standing in for the load balancer, steering new connections to the node the
 * test chooses). The phone lives on node A, the computers on node B; then B is killed mid-conversation
 * and Redis connections are dropped, and nothing is lost and no revoked computer gets back in.
 */
const [pg, redis] = await Promise.all([probePostgres(), probeRedis()]);
const runs = allAvailable([pg, redis], 'NODE-5 cluster flows in Chromium (e2e/specs/cluster.spec.ts)');
const DESKTOP = { width: 1280, height: 800 };
const randomNumber = () => `+1555${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;

describe.runIf(runs)('a two-node cluster behind one origin', () => {
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  let proxy: TcpProxy;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sockets: DeviceSocket[] = [];

  /** The cluster as one server for the harness: its origin is the proxy; codes come from either node. */
  const cluster = (): TestServer => ({
    url: proxy.url,
    port: proxy.port,
    dataDir: a.dataDir,
    output: () => '',
    waitForSmsCode: (phoneNumber) =>
      Promise.any([a.waitForSmsCode(phoneNumber), b.waitForSmsCode(phoneNumber)]),
    stop: async () => undefined,
    restart: async () => undefined,
    kill: async () => undefined,
  });

  async function newPage(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }

  /** A second person, speaking the protocol from node `via` (their own phone). */
  async function friendOn(via: TestServer): Promise<{ number: string; name: string; socket: DeviceSocket }> {
    proxy.prefer(via.port);
    const number = randomNumber();
    const read = (n: string) => Promise.any([a.waitForSmsCode(n), b.waitForSmsCode(n)]);
    const friend = await registerHeadlessPhone(proxy.url, number, `Friend ${number.slice(-4)}`, read);
    sockets.push(friend.socket);
    return { number, name: `Friend ${number.slice(-4)}`, socket: friend.socket };
  }

  async function send(computer: Page, text: string): Promise<void> {
    const box = computer.getByRole('textbox', { name: 'Type a message' });
    await box.fill(text);
    await box.press('Enter');
  }

  beforeAll(async () => {
    database = await createTestDatabase(pg.url);
    // The proxy is the origin people use (PUBLIC_URL); its upstreams are known once the nodes are up.
    const upstreams: number[] = [];
    proxy = await startTcpProxy(upstreams);
    const env = { DATABASE_URL: database.url, BUS_URL: busUrlWithChannel(redis.url), PUBLIC_URL: proxy.url };
    [a, b] = await Promise.all([startServer({ env }), startServer({ env })]);
    upstreams.push(a.port, b.port);
    proxy.prefer(a.port);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    for (const c of contexts) await c.close();
    await browser?.close();
    await proxy?.close();
    await Promise.allSettled([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('NODE-5 link, chat, node B killed mid-conversation, Redis dropped, logout-all: nothing lost, no one readmitted', async () => {
    // The phone on node A; a friend's phone on node A too.
    proxy.prefer(a.port);
    const phone = await newPage(PHONE_VIEWPORT);
    await registerPhone(phone, cluster(), { phoneNumber: randomNumber(), name: 'Ada Lovelace' });
    const friend = await friendOn(a);

    // Two computers whose pages and sockets are on node B; each link crosses nodes (channel on B, approval on A).
    proxy.prefer(b.port);
    const computer = await newPage(DESKTOP);
    await linkComputer(phone, computer, cluster());
    await phone.getByRole('button', { name: 'Dismiss' }).click();
    const second = await newPage(DESKTOP);
    await linkComputer(phone, second, cluster());
    await phone.getByRole('button', { name: 'Dismiss' }).click();

    // Chat across nodes: computer (B) → friend (A), and back.
    await computer.getByRole('button', { name: 'New chat' }).first().click();
    const dialog = computer.getByRole('dialog');
    await dialog.getByRole('textbox', { name: 'Phone number' }).fill(friend.number);
    await dialog.getByRole('textbox', { name: 'Phone number' }).press('Enter');
    await send(computer, 'hello from node B');
    const first = await friend.socket.waitFor('message', (f) => f.message.text === 'hello from node B');
    const chatId = first.message.chatId;
    const reply = (text: string, i: number) =>
      friend.socket.request('messages.send', { chatId, clientMsgId: `reply-${i}-${randomInt(1e9)}`, text });
    await reply('hello from node A', 0);
    const log = computer.getByRole('log');
    await log.getByText('hello from node A').waitFor();

    // Node B dies mid-conversation. Its computers reconnect through the proxy to node A and catch up.
    await b.kill();
    for (let i = 1; i <= 5; i++) await reply(`while B was down ${i}`, i);
    for (let i = 1; i <= 5; i++) await log.getByText(`while B was down ${i}`).waitFor({ timeout: 30_000 });
    for (let i = 1; i <= 5; i++) expect(await log.getByText(`while B was down ${i}`).count()).toBe(1);

    // Node B comes back and the computer moves back to it (a reload reconnects through the proxy);
    // then Redis drops every Latch connection, as a restart would, mid-conversation. The friend's
    // message is published on A while B's subscriber may still be away: B must catch its sockets up.
    await b.restart();
    proxy.prefer(b.port);
    await computer.reload();
    await computer.getByRole('region', { name: 'Chats' }).getByText(friend.name).click();
    await log.getByText('while B was down 5').waitFor();
    const admin = new Redis(redis.url);
    try {
      const list = (await admin.client('LIST')) as string;
      const ids = list
        .split('\n')
        .filter((l) => /name=latch-(pub|sub)-/.test(l))
        .map((l) => l.match(/\bid=(\d+)/)?.[1])
        .filter((id): id is string => id !== undefined);
      for (const id of ids) await admin.client('KILL', 'ID', id);
    } finally {
      admin.disconnect();
    }
    await reply('after the Redis drop', 6);
    await log.getByText('after the Redis drop').waitFor({ timeout: 30_000 });
    expect(await log.getByText('after the Redis drop').count()).toBe(1);

    // "Log out from all devices" on the phone (node A) reaches every computer, wherever it is.
    const started = Date.now();
    await phone.getByRole('button', { name: 'Log out from all devices' }).click();
    const confirm = phone.getByRole('alertdialog', { name: 'Log out from all devices?' });
    await confirm.getByRole('button', { name: 'Log out' }).click();
    for (const page of [computer, second]) {
      await page.getByText('You logged out of this computer from your phone.').waitFor({ timeout: 10_000 });
    }
    console.info(`NODE-5 logout-all reached both computers in ${Date.now() - started} ms`);

    // No revoked computer is readmitted, through either node.
    for (const node of [a, b]) {
      proxy.prefer(node.port);
      await computer.reload();
      await computer.getByRole('img', { name: /QR code/ }).waitFor();
      expect(await computer.getByRole('region', { name: 'Chats' }).count()).toBe(0);
    }
  });
});
