import { rateLimited } from '../errors';
import type { ServiceContext } from './context';
import type { FailurePolicy, SocketFailureCounter } from './rateLimiter';

/**
 * LIM-3: wrong linking codes typed on a phone, counted in a row with the growing waits (30 s, 5 min,
 * 1 h). Per socket (in memory), per account and per IP (in the store, on every node). The IP
 * allows more, as many phones may share one address.
 */
export const LINK_GUESSES_PER_SOCKET: FailurePolicy = { failuresBeforeLock: 3 };
export const LINK_GUESSES_PER_ACCOUNT: FailurePolicy = { failuresBeforeLock: 5 };
export const LINK_GUESSES_PER_IP: FailurePolicy = { failuresBeforeLock: 20 };

/** Who typed the code: the phone's account, its IP, and the counter of the socket it came on. */
export interface CodeGuesser {
  accountId: string;
  ip: string;
  codeGuesses?: SocketFailureCounter | undefined;
}

const tooManyWrongCodes = (retryAfterMs: number) =>
  rateLimited(retryAfterMs, 'Too many wrong linking codes. Try again later.');

/** The store's counters: the account's, then the IP's (always this order: see reserveAll). */
const storedKeys = (guesser: CodeGuesser): [string, string] => [
  `link-guess-account:${guesser.accountId}`,
  `link-guess-ip:${guesser.ip}`,
];

/**
 * Counts a typed linking code as a wrong guess BEFORE it is looked up (LIM-1): on the socket, then
 * the account and the IP together in one transaction. Throws rate_limited while any of them waits;
 * returns the wait this guess starts if it turns out wrong (0 for none).
 */
export async function reserveLinkCodeGuess(ctx: ServiceContext, guesser: CodeGuesser): Promise<number> {
  const onSocket = guesser.codeGuesses?.reserve() ?? { ok: true, failures: 0, lockedForMs: 0 };
  if (!onSocket.ok) throw tooManyWrongCodes(onSocket.retryAfterMs);
  const [account, ip] = storedKeys(guesser);
  const stored = await ctx.limiter.reserveAll([
    { key: account, policy: LINK_GUESSES_PER_ACCOUNT },
    { key: ip, policy: LINK_GUESSES_PER_IP },
  ]);
  if (!stored.ok) throw tooManyWrongCodes(stored.retryAfterMs);
  return Math.max(onSocket.lockedForMs, stored.lockedForMs);
}

/** The right code: the wrong ones before it no longer count (failures "in a row"). */
export async function forgetLinkCodeGuesses(ctx: ServiceContext, guesser: CodeGuesser): Promise<void> {
  guesser.codeGuesses?.reset();
  await ctx.limiter.reset(...storedKeys(guesser));
}
