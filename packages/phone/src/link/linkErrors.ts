import type { QrDecodeResult } from '@latch/protocol';
import { errorMessage } from '../ui/errorMessage';

/** Why a scanned QR is refused before asking the server anything. */
export function qrProblemText(problem: Extract<QrDecodeResult, { ok: false }>['problem']): string {
  switch (problem) {
    case 'not_latch':
      return 'This is not a Latch QR code. Scan the code shown on the computer.';
    case 'malformed':
      return 'This QR code could not be read. Reload it on the computer and scan again.';
    default: {
      const missing: never = problem;
      throw new Error(`Unhandled QR problem ${String(missing)}`);
    }
  }
}

export function otherServerText(origin: string): string {
  return `This code is for another Latch server (${origin}).`;
}

export const TAMPERED_TEXT =
  'This QR code does not match the computer that asked to link. It may have been tampered with, so it was refused.';

/** Why the server refused a QR ref or linking code (link.preview / link.approve). */
export function linkErrorText(err: unknown, via: 'qr' | 'code'): string {
  return errorMessage(err, {
    ref_expired:
      via === 'qr'
        ? 'This code has expired. Reload it on the computer.'
        : 'This code has expired. Ask for a new one on the computer.',
    ref_used: 'This code was already used.',
    ref_unknown:
      via === 'qr'
        ? 'This code is not known to this server. Reload it on the computer and scan again.'
        : 'This code is not right. Check the code shown on the computer.',
    validation_failed:
      via === 'qr' ? 'This QR code could not be read.' : 'The linking code has 8 letters and digits.',
    origin_mismatch: 'This code is for another Latch server.',
    not_primary: 'Only the phone that registered this account can link devices.',
    signature_invalid: TAMPERED_TEXT,
    number_mismatch:
      'That was not the number on the computer, so nothing was linked. If you are not sitting at that computer, someone may be trying to get into your account.',
  });
}
