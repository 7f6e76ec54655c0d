import type { RegisterCodeResponse } from '@latch/protocol';
import { useState } from 'react';
import { BrandMark } from './BrandMark';
import { CodeStep } from './CodeStep';
import { PhoneStep } from './PhoneStep';
import { PinStep } from './PinStep';
import type { Verified } from './verifyPhone';

/** Where registration is. Each step owns its own input, busy flag and error. */
type Step =
  | { kind: 'phone'; phoneNumber: string }
  | { kind: 'code'; phoneNumber: string; resendAt: number; codeError: string | null }
  | { kind: 'pin'; phoneNumber: string; resendAt: number; code: string; pinError: string | null };

export interface RegistrationScreenProps {
  /** Why this phone is here again (e.g. the number was registered elsewhere). */
  notice: string | null;
  onVerified: (verified: Verified) => void;
}

/** Number → SMS code (→ PIN) → this phone is the account's primary device. */
export function RegistrationScreen({ notice, onVerified }: RegistrationScreenProps) {
  const [step, setStep] = useState<Step>({ kind: 'phone', phoneNumber: '' });
  const codeSent = (phoneNumber: string, sent: RegisterCodeResponse) =>
    setStep({ kind: 'code', phoneNumber, resendAt: Date.now() + sent.resendInMs, codeError: null });

  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <BrandMark />
        <span className="onboarding__brand-name">Latch</span>
      </div>
      {notice && step.kind === 'phone' && (
        <div className="notice" role="status">
          {notice}
        </div>
      )}
      {renderStep(step, setStep, codeSent, onVerified)}
    </main>
  );
}

function renderStep(
  step: Step,
  setStep: (s: Step) => void,
  codeSent: (phoneNumber: string, sent: RegisterCodeResponse) => void,
  onVerified: (verified: Verified) => void,
) {
  switch (step.kind) {
    case 'phone':
      return <PhoneStep initialNumber={step.phoneNumber} onSent={codeSent} />;
    case 'code':
      return (
        <CodeStep
          phoneNumber={step.phoneNumber}
          resendAt={step.resendAt}
          initialError={step.codeError}
          onResent={(sent) => setStep({ ...step, resendAt: Date.now() + sent.resendInMs, codeError: null })}
          onVerified={onVerified}
          onPinRequired={(code, pinError) => setStep({ ...step, kind: 'pin', code, pinError })}
          onChangeNumber={() => setStep({ kind: 'phone', phoneNumber: step.phoneNumber })}
        />
      );
    case 'pin':
      return (
        <PinStep
          phoneNumber={step.phoneNumber}
          code={step.code}
          initialError={step.pinError}
          onVerified={onVerified}
          onCodeRejected={(codeError) =>
            setStep({ kind: 'code', phoneNumber: step.phoneNumber, resendAt: step.resendAt, codeError })
          }
        />
      );
    default: {
      const missing: never = step;
      throw new Error(`Unhandled registration step ${JSON.stringify(missing)}`);
    }
  }
}
