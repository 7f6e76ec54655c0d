import { type ReactNode, useCallback, useState } from 'react';
import { errorCode, errorMessage } from './errorMessage';
import { PinDialog } from './PinDialog';

interface Prompt {
  busy: boolean;
  error: string | null;
  submit: (pin: string) => void;
  cancel: () => void;
}

export interface PinGuard {
  /**
   * Runs `action` without a PIN; if the server answers `pin_required`, asks for the PIN and runs it
   * again with it until it succeeds (result), the person cancels (null) or another error happens (throws).
   */
  guard: <T>(action: (pin: string | undefined) => Promise<T>) => Promise<T | null>;
  /** Render this where the PIN sheet should appear. */
  dialog: ReactNode;
}

export function usePinGuard(): PinGuard {
  const [prompt, setPrompt] = useState<Prompt | null>(null);

  const guard = useCallback(
    async <T,>(action: (pin: string | undefined) => Promise<T>): Promise<T | null> => {
      try {
        return await action(undefined);
      } catch (err) {
        if (errorCode(err) !== 'pin_required') throw err;
      }
      return new Promise<T | null>((resolve, reject) => {
        const submit = (pin: string) => {
          setPrompt((p) => p && { ...p, busy: true, error: null });
          action(pin).then(
            (result) => {
              setPrompt(null);
              resolve(result);
            },
            (err: unknown) => {
              const code = errorCode(err);
              if (code === 'pin_invalid' || code === 'pin_locked') {
                setPrompt((p) => p && { ...p, busy: false, error: errorMessage(err) });
                return;
              }
              setPrompt(null);
              reject(err);
            },
          );
        };
        const cancel = () => {
          setPrompt(null);
          resolve(null);
        };
        setPrompt({ busy: false, error: null, submit, cancel });
      });
    },
    [],
  );

  const dialog = prompt ? (
    <PinDialog error={prompt.error} busy={prompt.busy} onSubmit={prompt.submit} onCancel={prompt.cancel} />
  ) : null;
  return { guard, dialog };
}
