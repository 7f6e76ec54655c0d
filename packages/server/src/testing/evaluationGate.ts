import type { PinService } from '../services/pin.service';
import type { RegistrationService } from '../services/registration.service';

/** How many guesses a service really evaluated, and a way to keep the wrong ones waiting. */
export interface EvaluationGate {
  /** Guesses evaluated so far (the comparison was started). */
  calls(): number;
  /** Wrong guesses held at the gate right now. */
  held(): number;
  /** Lets the held guesses finish, and every later one pass straight through. */
  release(): void;
  /** Puts the service's own comparison back. */
  restore(): void;
}

function gate<A extends unknown[], R>(
  install: (wrapped: (...args: A) => Promise<R>) => void,
  original: (...args: A) => R | Promise<R>,
  isRight: (...args: A) => boolean,
  uninstall: () => void,
): EvaluationGate {
  let calls = 0;
  let held = 0;
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  install(async (...args: A) => {
    calls += 1;
    if (!isRight(...args)) {
      held += 1;
      await opened;
      held -= 1;
    }
    return original(...args);
  });
  return { calls: () => calls, held: () => held, release: open, restore: uninstall };
}

/**
 * Counts the PIN comparisons (argon2id verify calls) of one node and holds every wrong one until
 * `release()`, so guesses stay "being checked" while the test sends more, as a slow hash would.
 */
export function gatePinChecks(pins: PinService, rightPin: string): EvaluationGate {
  const original = pins.verifyPin.bind(pins);
  return gate(
    (wrapped) => {
      pins.verifyPin = wrapped;
    },
    original,
    (_hash: string, pin: string) => pin === rightPin,
    () => {
      pins.verifyPin = original;
    },
  );
}

/** Counts the SMS code comparisons of one node (they are synchronous: nothing is held). */
export function countCodeChecks(
  registration: RegistrationService,
): Pick<EvaluationGate, 'calls' | 'restore'> {
  const original = registration.codeMatches.bind(registration);
  let calls = 0;
  registration.codeMatches = (...args) => {
    calls += 1;
    return original(...args);
  };
  return {
    calls: () => calls,
    restore: () => {
      registration.codeMatches = original;
    },
  };
}
