import { DisplayName, MAX_NAME_LENGTH } from '@latch/protocol';
import { useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { TextField } from '../ui/TextField';
import { BrandMark } from './BrandMark';

/** Step 3, for a new account: the name other people see. */
export function NameScreen() {
  const session = useSession();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const parsed = DisplayName.safeParse(name);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? 'Enter a name');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      session.setAccount(await session.request('account.setName', { name: parsed.data }));
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  };

  return (
    <main className="onboarding">
      <div className="onboarding__brand">
        <BrandMark />
        <span className="onboarding__brand-name">Latch</span>
      </div>
      <form
        className="onboarding__form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) void submit();
        }}
      >
        <h1 className="onboarding__title">Profile info</h1>
        <p className="onboarding__lead">Add the name people see when you message them.</p>
        <TextField
          label="Your name"
          autoComplete="name"
          maxLength={MAX_NAME_LENGTH}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={error}
          focusOnMount
        />
        <button type="submit" className="btn btn--primary btn--block onboarding__action" disabled={busy}>
          {busy ? 'Saving…' : 'Next'}
        </button>
      </form>
    </main>
  );
}
