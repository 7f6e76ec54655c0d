import type { DeviceView } from '@latch/protocol';
import { MAX_NAME_LENGTH } from '@latch/protocol';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { TextField } from '../ui/TextField';

/** "Device name": the person's own name for a linked computer (DEV-1), e.g. "Work laptop". */
export function RenameDeviceForm({ device }: { device: DeviceView }) {
  const session = useSession();
  const [name, setName] = useState(device.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const changed = name.trim() !== device.name && name.trim() !== '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!changed) return;
    setBusy(true);
    setError(null);
    try {
      await session.request('devices.rename', { deviceId: device.id, name: name.trim() });
      setSaved(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="rename-form" onSubmit={(e) => void submit(e)}>
      <TextField
        label="Device name"
        hint={saved && !changed ? 'Saved.' : 'A name you will recognise, like “Work laptop”.'}
        error={error}
        value={name}
        maxLength={MAX_NAME_LENGTH}
        onChange={(e) => {
          setName(e.currentTarget.value);
          setSaved(false);
        }}
      />
      <button type="submit" className="btn btn--secondary" disabled={!changed || busy}>
        Save name
      </button>
    </form>
  );
}
