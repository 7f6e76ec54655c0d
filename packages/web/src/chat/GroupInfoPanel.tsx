import { isAdmin } from '@latch/client';
import type { ChatView, MemberView } from '@latch/protocol';
import type { ChatActions as GroupActions } from '@latch/react';
import { useState } from 'react';
import { Avatar } from '../ui/Avatar';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { AddPersonIcon, CloseIcon } from '../ui/icons';
import { AddMemberForm } from './AddMemberForm';
import { describeChatError } from './describeChatError';
import { RenameGroupForm } from './RenameGroupForm';
import './GroupInfoPanel.css';

interface GroupInfoPanelProps {
  chat: ChatView;
  selfAccountId: string;
  actions: GroupActions;
  onClose: () => void;
}

/** What the panel is doing besides showing the group: one form or one question at a time. */
type PanelMode =
  | { kind: 'view' }
  | { kind: 'renaming' }
  | { kind: 'adding' }
  | { kind: 'confirm_remove'; member: MemberView }
  | { kind: 'confirm_leave' };

const nameOf = (m: MemberView) => m.name || m.phoneNumber;
const errorText = (error: unknown) => describeChatError(error, 'That did not work. Try again.');

/** Admins first, then by name; this account last among its peers ("You"). */
function orderMembers(members: MemberView[], selfAccountId: string): MemberView[] {
  return [...members].sort(
    (a, b) =>
      Number(b.admin) - Number(a.admin) ||
      Number(a.accountId === selfAccountId) - Number(b.accountId === selfAccountId) ||
      nameOf(a).localeCompare(nameOf(b)),
  );
}

interface MemberRowProps {
  member: MemberView;
  self: boolean;
  canRemove: boolean;
  onRemove: (member: MemberView) => void;
}

function MemberRow({ member, self, canRemove, onRemove }: MemberRowProps) {
  return (
    <li className="member-row">
      <Avatar name={nameOf(member)} seed={member.accountId} size="small" />
      <span className="member-main">
        <span className="member-name">{self ? 'You' : nameOf(member)}</span>
        {member.name && <span className="member-number">{member.phoneNumber}</span>}
      </span>
      {member.admin && <span className="admin-badge">Admin</span>}
      {canRemove && (
        <button
          type="button"
          className="link-button member-remove"
          aria-label={`Remove ${nameOf(member)}`}
          onClick={() => onRemove(member)}
        >
          Remove
        </button>
      )}
    </li>
  );
}

/** MSG-4: the group's name and members; admins rename, add and remove; anyone leaves. */
export function GroupInfoPanel({ chat, selfAccountId, actions, onClose }: GroupInfoPanelProps) {
  const [mode, setMode] = useState<PanelMode>({ kind: 'view' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const admin = isAdmin(chat, selfAccountId);
  const members = orderMembers(chat.members, selfAccountId);
  const back = () => {
    setMode({ kind: 'view' });
    setError(null);
    setBusy(false);
  };

  const confirm = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      back();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <aside className="group-info" aria-label="Group info">
      <header className="group-info-header">
        <button type="button" className="icon-button" aria-label="Close group info" onClick={onClose}>
          <CloseIcon />
        </button>
        <h2 className="group-info-heading">Group info</h2>
      </header>
      <div className="group-info-body">
        <section className="group-info-card group-info-summary">
          <Avatar name={chat.title} seed={chat.id} size="large" />
          {mode.kind === 'renaming' ? (
            <RenameGroupForm
              current={chat.title}
              rename={(name) => actions.rename(chat.id, name)}
              onDone={back}
              describeError={errorText}
            />
          ) : (
            <>
              <h3 className="group-info-name">{chat.title}</h3>
              <p className="group-info-count">Group · {chat.members.length} members</p>
              {admin && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setMode({ kind: 'renaming' })}
                >
                  Rename
                </button>
              )}
            </>
          )}
        </section>
        <section className="group-info-card" aria-label="Members">
          <h3 className="group-info-subheading">{chat.members.length} members</h3>
          {admin &&
            (mode.kind === 'adding' ? (
              <AddMemberForm
                addMember={(phoneNumber) => actions.addMembers(chat.id, [phoneNumber])}
                onDone={back}
                describeError={errorText}
              />
            ) : (
              <button type="button" className="member-add" onClick={() => setMode({ kind: 'adding' })}>
                <span className="member-add-icon">
                  <AddPersonIcon />
                </span>
                Add member
              </button>
            ))}
          <ul className="member-list">
            {members.map((m) => (
              <MemberRow
                key={m.accountId}
                member={m}
                self={m.accountId === selfAccountId}
                canRemove={admin && m.accountId !== selfAccountId}
                onRemove={(member) => setMode({ kind: 'confirm_remove', member })}
              />
            ))}
          </ul>
        </section>
        <section className="group-info-card">
          <button type="button" className="group-leave" onClick={() => setMode({ kind: 'confirm_leave' })}>
            Leave group
          </button>
        </section>
      </div>
      {mode.kind === 'confirm_remove' && (
        <ConfirmDialog
          title={`Remove ${nameOf(mode.member)}?`}
          text={`${nameOf(mode.member)} will no longer get messages from “${chat.title}”.`}
          confirmLabel="Remove"
          busy={busy}
          error={error}
          onCancel={back}
          onConfirm={() => void confirm(() => actions.removeMember(chat.id, mode.member.accountId))}
        />
      )}
      {mode.kind === 'confirm_leave' && (
        <ConfirmDialog
          title={`Leave “${chat.title}”?`}
          text="You will stop getting its messages, and the chat is removed from this computer and your phone."
          confirmLabel="Leave group"
          busy={busy}
          error={error}
          onCancel={back}
          onConfirm={() => void confirm(() => actions.leave(chat.id))}
        />
      )}
    </aside>
  );
}
