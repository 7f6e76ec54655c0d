import type { ChatsState } from '@latch/client';
import { otherMember, sortedChats } from '@latch/client';
import { type ChatView, DisplayName, MAX_NAME_LENGTH, type MemberView } from '@latch/protocol';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Modal } from '../ui/Modal';
import { describeChatError } from './describeChatError';
import { PhoneNumberList, parsePhoneInput } from './PhoneNumberList';

interface NewGroupDialogProps {
  chats: ChatsState;
  selfAccountId: string;
  createGroup: (name: string, phoneNumbers: string[]) => Promise<ChatView>;
  onCreated: (chatId: string) => void;
  onClose: () => void;
}

/** The people of this account's direct chats, most recent first: the quickest members to pick. */
function knownPeople(chats: ChatsState, selfAccountId: string): MemberView[] {
  const people: MemberView[] = [];
  for (const chat of sortedChats(chats)) {
    const other = otherMember(chat, selfAccountId);
    if (other && !people.some((p) => p.accountId === other.accountId)) people.push(other);
  }
  return people;
}

/** What the form holds, checked: the name and every number (ticked, added, and the one still typed). */
function collect(
  name: string,
  ticked: string[],
  added: string[],
  draft: string,
): { ok: true; name: string; numbers: string[] } | { ok: false; error: string } {
  const parsedName = DisplayName.safeParse(name);
  if (!parsedName.success) return { ok: false, error: parsedName.error.issues[0]?.message ?? 'Enter a name' };
  const numbers = [...ticked, ...added];
  if (draft.trim()) {
    const parsed = parsePhoneInput(draft);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    numbers.push(parsed.number);
  }
  if (numbers.length === 0) return { ok: false, error: 'Add at least one member.' };
  return { ok: true, name: parsedName.data, numbers: [...new Set(numbers)] };
}

/** MSG-4: names a new group and picks its members (the creator becomes its admin). */
export function NewGroupDialog({
  chats,
  selfAccountId,
  createGroup,
  onCreated,
  onClose,
}: NewGroupDialogProps) {
  const titleId = useId();
  const nameId = useId();
  const errorId = useId();
  const nameInput = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [ticked, setTicked] = useState<string[]>([]);
  const [added, setAdded] = useState<string[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const people = knownPeople(chats, selfAccountId);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const form = collect(name, ticked, added, draft);
    if (!form.ok) {
      setError(form.error);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const chat = await createGroup(form.name, form.numbers);
      onCreated(chat.id);
    } catch (err) {
      setError(describeChatError(err, 'The group could not be created.'));
      setBusy(false);
    }
  };

  const toggle = (phoneNumber: string, on: boolean) =>
    setTicked((now) => (on ? [...now, phoneNumber] : now.filter((n) => n !== phoneNumber)));

  return (
    <Modal titleId={titleId} onClose={onClose} initialFocus={nameInput}>
      <form noValidate onSubmit={submit}>
        <h2 id={titleId} className="dialog-title">
          New group
        </h2>
        <div className="dialog-field">
          <label className="field-label" htmlFor={nameId}>
            Group name
          </label>
          <input
            ref={nameInput}
            id={nameId}
            className="text-input"
            maxLength={MAX_NAME_LENGTH}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
        </div>
        {people.length > 0 && (
          <fieldset className="dialog-field people-picker">
            <legend className="field-label">People you chat with</legend>
            {people.map((p) => (
              <label key={p.accountId} className="person-option">
                <input
                  type="checkbox"
                  checked={ticked.includes(p.phoneNumber)}
                  onChange={(e) => toggle(p.phoneNumber, e.currentTarget.checked)}
                />
                <span className="person-option-name">{p.name || p.phoneNumber}</span>
                {p.name && <span className="person-option-number">{p.phoneNumber}</span>}
              </label>
            ))}
          </fieldset>
        )}
        <PhoneNumberList numbers={added} onChange={setAdded} draft={draft} onDraftChange={setDraft} />
        {error && (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={busy}>
            Create group
          </button>
        </div>
      </form>
    </Modal>
  );
}
