import { randomInt } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** The prefixes that count as one network: a home or office LAN (IPv4 /24) or one IPv6 subnet (/64). */
export const SAME_NETWORK_IPV4_PREFIX = 24;
export const SAME_NETWORK_IPV6_PREFIX = 64;

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) → `192.0.2.1`. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1]! : ip;
}

/**
 * Whether the computer asking to link and the phone deciding look like one network to the server:
 * the same IPv4 /24 or the same IPv6 /64 (the addresses the sockets came from, or X-Forwarded-For's
 * first entry with TRUST_PROXY). Anything unparseable, or one of each family, is not the same network,
 * so a doubt always leads to number matching.
 */
export function sameNetwork(computerIp: string, phoneIp: string): boolean {
  const a = unmapped(computerIp);
  const b = unmapped(phoneIp);
  const list = new BlockList();
  if (isIPv4(a) && isIPv4(b)) {
    list.addSubnet(a, SAME_NETWORK_IPV4_PREFIX, 'ipv4');
    return list.check(b, 'ipv4');
  }
  if (isIPv6(a) && isIPv6(b)) {
    list.addSubnet(a, SAME_NETWORK_IPV6_PREFIX, 'ipv6');
    return list.check(b, 'ipv6');
  }
  return false;
}

export interface NumberMatch {
  /** What the computer shows. */
  number: number;
  /** The number and two other ones, all different, in random order: what the phone offers. */
  choices: [number, number, number];
}

const randomTwoDigits = () => randomInt(10, 100);

/** A fresh number to match and its choices, from the CSPRNG (node:crypto's randomInt). */
export function drawNumberMatch(): NumberMatch {
  const number = randomTwoDigits();
  const picked = new Set([number]);
  while (picked.size < 3) picked.add(randomTwoDigits());
  const choices = [...picked];
  // Fisher–Yates, so the right number is equally likely in every position.
  for (let i = choices.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [choices[i], choices[j]] = [choices[j]!, choices[i]!];
  }
  return { number, choices: choices as NumberMatch['choices'] };
}

/** Stored as `42,17,88`. */
export function encodeChoices(choices: readonly number[]): string {
  return choices.join(',');
}

export function decodeChoices(text: string): NumberMatch['choices'] | null {
  const parts = text.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isInteger(n) || n < 10 || n > 99)) return null;
  return parts as NumberMatch['choices'];
}
