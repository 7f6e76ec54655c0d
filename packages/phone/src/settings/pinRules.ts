import { isTrivialPin } from '@latch/protocol';
import { PIN_PATTERN } from '../ui/PinDialog';

/** Why a new PIN cannot be used, or null when it can. */
export function newPinProblem(pin: string): string | null {
  if (!PIN_PATTERN.test(pin)) return 'The PIN has 6 digits.';
  if (isTrivialPin(pin)) return 'That PIN is too easy to guess. Choose another.';
  return null;
}
