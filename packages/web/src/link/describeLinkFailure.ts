import type { LinkFailure } from '@latch/client';

/** What a failed link attempt tells the person, in words they can act on. */
export function describeLinkFailure(failure: LinkFailure): string {
  switch (failure.kind) {
    case 'server':
      switch (failure.code) {
        case 'rate_limited':
          return 'Too many attempts. Wait a moment, then try again.';
        case 'forbidden':
          return 'Linking was declined on your phone. Try again when you are ready.';
        case 'device_limit':
          return 'Your account already has the most linked computers. Log one out on your phone, then try again.';
        case 'ref_used':
        case 'ref_expired':
        case 'ref_unknown':
          return 'That QR code was already used or has expired. Try again with a new one.';
        default:
          return failure.message || 'Latch could not link this computer.';
      }
    case 'connection_lost':
      return "Can't reach Latch. Trying again in a moment…";
    case 'mac_mismatch':
      return "The approval didn't come from the phone that scanned this screen, so this computer was not linked.";
    case 'claim_failed':
      return `This computer could not be linked: ${failure.message}`;
    case 'key_unavailable':
      return "This browser can't create a secure device key. Use an up-to-date browser and open Latch over HTTPS.";
    default: {
      const missing: never = failure;
      throw new Error(`Unhandled link failure: ${JSON.stringify(missing)}`);
    }
  }
}
