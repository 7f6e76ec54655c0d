import type { DeviceView } from '@latch/protocol';
import { MAX_NAME_LENGTH } from '@latch/protocol';
import { useAsyncAction } from '@latch/react';
import { type FormEvent, useState } from 'react';
import { useSession } from '../session/SessionContext';
import { errorMessage } from '../ui/errorMessage';
import { TextField } from '../ui/TextField';

/** "Device name": the person's own name for a linked computer (DEV-1), e.g. "Work laptop". */
export function RenameDeviceForm({ device }: { device: DeviceView }) {
  const session = useSession();
  const [name, setName] = useState(device.name);
  const [saved, setSaved] = useState(false);
  const changed = name.trim() !== device.name && name.trim() !== '';
  const renaming = useAsyncAction(
    async (newName: string) => {
      await session.request('devices.rename', { deviceId: device.id, name: newName });
      setSaved(true);
    },
    (err) => errorMessage(err),
  );
  const { busy, error } = renaming;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (changed) void renaming.run(name.trim());
  };

  return (
    <form className="rename-form" onSubmit={submit}>
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
