import type { AccountView } from '@latch/protocol';
import { useCallback, useState } from 'react';
import { ChatsTab } from '../chats/ChatsTab';
import { ConversationScreen } from '../chats/ConversationScreen';
import { type ChatsState, useChats } from '../chats/useChats';
import { LinkedDevicesScreen } from '../devices/LinkedDevicesScreen';
import { LinkDeviceFlow, type LinkMode } from '../link/LinkDeviceFlow';
import { useServerEvent } from '../session/SessionContext';
import { SecurityScreen } from '../settings/SecurityScreen';
import { SettingsTab } from '../settings/SettingsTab';
import { TwoStepScreen } from '../settings/TwoStepScreen';
import { ConnectionBar } from './ConnectionBar';
import { NewDeviceBanner } from './NewDeviceBanner';
import { ReminderCards } from './ReminderCards';
import { TabBar, type TabId } from './TabBar';
import { useBackButton } from './useBackButton';
import { type Reminders, useReminders } from './useReminders';

/** Which screen is showing. Sub-screens replace the tabs, like on a phone. */
type View =
  | { kind: 'tab'; tab: TabId }
  | { kind: 'chat'; chatId: string }
  | { kind: 'linked_devices' }
  | { kind: 'security' }
  | { kind: 'two_step' };

export interface HomeScreenProps {
  account: AccountView;
  onLogout: () => void;
}

/** What every view may need. */
interface ViewContext {
  account: AccountView;
  chats: ChatsState;
  reminders: Reminders;
  setView: (v: View) => void;
  setLink: (m: LinkMode) => void;
  onLogout: () => void;
}

/** The signed-in app: tabs, sub-screens, the link flow, and alerts that can come at any time. */
export function HomeScreen({ account, onLogout }: HomeScreenProps) {
  const [view, setView] = useState<View>({ kind: 'tab', tab: 'chats' });
  const [link, setLink] = useState<LinkMode | null>(null);
  const chats = useChats();
  const reminders = useReminders();
  useBackButton(view.kind !== 'tab', () =>
    setView({ kind: 'tab', tab: view.kind === 'chat' ? 'chats' : 'settings' }),
  );

  // Removed from a group (or it was left on another device) while it is open: back to the list.
  useServerEvent('chat.removed', ({ chatId }) => {
    if (view.kind === 'chat' && view.chatId === chatId) setView({ kind: 'tab', tab: 'chats' });
  });

  // A computer asked to link with this number: take the person to the code prompt.
  useServerEvent('link.prompt', () => {
    setView({ kind: 'linked_devices' });
    setLink({ kind: 'code', prompted: true });
  });

  const linked = useCallback(() => {
    setLink(null);
    setView({ kind: 'linked_devices' });
  }, []);

  return (
    <div className="app">
      <ConnectionBar />
      <NewDeviceBanner />
      {renderView(view, { account, chats, reminders, setView, setLink, onLogout })}
      {link && (
        <LinkDeviceFlow mode={link} onMode={setLink} onLinked={linked} onClose={() => setLink(null)} />
      )}
    </div>
  );
}

function renderView(view: View, ctx: ViewContext) {
  const { account, setView } = ctx;
  const toSettings = () => setView({ kind: 'tab', tab: 'settings' });
  switch (view.kind) {
    case 'tab':
      return <Tabs tab={view.tab} ctx={ctx} />;
    case 'chat': {
      const chat = ctx.chats.chats.find((c) => c.id === view.chatId);
      const back = () => setView({ kind: 'tab', tab: 'chats' });
      return chat ? <ConversationScreen chat={chat} ownAccountId={account.id} onBack={back} /> : null;
    }
    case 'linked_devices':
      return (
        <LinkedDevicesScreen
          onBack={toSettings}
          onLinkDevice={() => ctx.setLink({ kind: 'scan' })}
          onLinkWithCode={() => ctx.setLink({ kind: 'code', prompted: false })}
        />
      );
    case 'security':
      return <SecurityScreen onBack={toSettings} />;
    case 'two_step':
      return <TwoStepScreen onBack={toSettings} />;
    default: {
      const missing: never = view;
      throw new Error(`Unhandled view ${JSON.stringify(missing)}`);
    }
  }
}

function Tabs({ tab, ctx }: { tab: TabId; ctx: ViewContext }) {
  const { account, setView } = ctx;
  return (
    <TabBar
      current={tab}
      onSelect={(t) => setView({ kind: 'tab', tab: t })}
      chats={
        <ChatsTab
          chats={ctx.chats}
          ownAccountId={account.id}
          onOpen={(c) => setView({ kind: 'chat', chatId: c.id })}
          top={
            <ReminderCards
              reminders={ctx.reminders}
              onReviewDevices={() => setView({ kind: 'linked_devices' })}
              onTwoStep={() => setView({ kind: 'two_step' })}
            />
          }
        />
      }
      settings={
        <SettingsTab
          account={account}
          onLinkedDevices={() => setView({ kind: 'linked_devices' })}
          onSecurity={() => setView({ kind: 'security' })}
          onTwoStep={() => setView({ kind: 'two_step' })}
          onLoggedOut={ctx.onLogout}
        />
      }
    />
  );
}
