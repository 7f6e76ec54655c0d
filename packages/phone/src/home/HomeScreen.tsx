import { goBack, IN_APP_ENTRY } from '@latch/client';
import type { AccountView } from '@latch/protocol';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { ChatsTab } from '../chats/ChatsTab';
import { ConversationScreen } from '../chats/ConversationScreen';
import { type ChatsState, useChats } from '../chats/useChats';
import { LinkedDevicesScreen } from '../devices/LinkedDevicesScreen';
import { LinkDeviceFlow, type LinkMode } from '../link/LinkDeviceFlow';
import { Splash } from '../Splash';
import { useServerEvent } from '../session/SessionContext';
import { SecurityScreen } from '../settings/SecurityScreen';
import { SettingsTab } from '../settings/SettingsTab';
import { TwoStepScreen } from '../settings/TwoStepScreen';
import { ConnectionBar } from './ConnectionBar';
import { NewDeviceBanners } from './NewDeviceBanner';
import { ReminderCards } from './ReminderCards';
import { parentOf, pathOf, type View, viewOf } from './routes';
import { TabBar, type TabId } from './TabBar';
import { useLinkAlerts } from './useLinkAlerts';
import { type Reminders, useReminders } from './useReminders';

const HOME: View = { kind: 'tab', tab: 'chats' };

/**
 * The screen named by the URL, and how to move: sub-screens are history entries (the phone's Back
 * leaves them), tabs replace each other, and a back arrow goes back when the app pushed the entry.
 */
function useView() {
  const [location, navigate] = useLocation();
  const parsed = viewOf(location);
  const view = parsed ?? HOME;
  useEffect(() => {
    if (!parsed) navigate(pathOf(HOME), { replace: true });
  }, [parsed, navigate]);
  const show = useCallback(
    (next: View) => {
      if (pathOf(next) === location) return;
      if (next.kind === 'tab') navigate(pathOf(next), { replace: true });
      else navigate(pathOf(next), { state: IN_APP_ENTRY });
    },
    [location, navigate],
  );
  const back = useCallback(
    () => goBack(() => navigate(pathOf(parentOf(view)), { replace: true })),
    [view, navigate],
  );
  return { view, show, back };
}

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
  back: () => void;
  setLink: (m: LinkMode) => void;
  onLogout: () => void;
  /** "Device linked" alerts, shown at the top of the chats and of Linked devices. */
  alerts: ReactNode;
}

/** The signed-in app: tabs, sub-screens, the link flow, and alerts that can come at any time. */
export function HomeScreen({ account, onLogout }: HomeScreenProps) {
  const { view, show: setView, back } = useView();
  const [link, setLink] = useState<LinkMode | null>(null);
  const chats = useChats();
  const reminders = useReminders();
  const linkAlerts = useLinkAlerts();

  // Removed from a group (or it was left on another device) while it is open: back to the list.
  useServerEvent('chat.removed', ({ chatId }) => {
    if (view.kind === 'chat' && view.chatId === chatId) back();
  });

  // A computer asked to link with this number: take the person to the code prompt.
  useServerEvent('link.prompt', () => {
    setView({ kind: 'linked_devices' });
    setLink({ kind: 'code', prompted: true });
  });

  const linked = useCallback(() => {
    setLink(null);
    setView({ kind: 'linked_devices' });
  }, [setView]);

  const alerts = <NewDeviceBanners alerts={linkAlerts} />;
  return (
    <div className="app">
      <ConnectionBar />
      {renderView(view, { account, chats, reminders, setView, back, setLink, onLogout, alerts })}
      {link && (
        <LinkDeviceFlow mode={link} onMode={setLink} onLinked={linked} onClose={() => setLink(null)} />
      )}
    </div>
  );
}

function renderView(view: View, ctx: ViewContext) {
  const { back } = ctx;
  switch (view.kind) {
    case 'tab':
      return <Tabs tab={view.tab} ctx={ctx} />;
    case 'chat':
      return <ChatRoute chatId={view.chatId} ctx={ctx} />;
    case 'linked_devices':
      return (
        <LinkedDevicesScreen
          top={ctx.alerts}
          onBack={back}
          onLinkDevice={() => ctx.setLink({ kind: 'scan' })}
          onLinkWithCode={() => ctx.setLink({ kind: 'code', prompted: false })}
        />
      );
    case 'security':
      return <SecurityScreen onBack={back} />;
    case 'two_step':
      return <TwoStepScreen onBack={back} />;
    default: {
      const missing: never = view;
      throw new Error(`Unhandled view ${JSON.stringify(missing)}`);
    }
  }
}

/** A conversation named by the URL: shown once the chats are in; a chat that is not there goes back. */
function ChatRoute({ chatId, ctx }: { chatId: string; ctx: ViewContext }) {
  const chat = ctx.chats.chats.find((c) => c.id === chatId);
  const missing = !chat && ctx.chats.loaded;
  const { back } = ctx;
  useEffect(() => {
    if (missing) back();
  }, [missing, back]);
  if (!chat) return <Splash message="Opening the chat…" />;
  return <ConversationScreen chat={chat} ownAccountId={ctx.account.id} onBack={back} />;
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
            <>
              {ctx.alerts}
              <ReminderCards
                reminders={ctx.reminders}
                onReviewDevices={() => setView({ kind: 'linked_devices' })}
                onTwoStep={() => setView({ kind: 'two_step' })}
              />
            </>
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
