import { goBack, IN_APP_ENTRY, type LinkedIdentity, unreadCount } from '@latch/client';
import { useFlushCacheOnHide, useOpenChat } from '@latch/react';
import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ConnectionStatusBar } from '../app/ConnectionStatusBar';
import { chatInfoPath, chatPath, parseChatPath, ROUTES } from '../app/routes';
import { LogoutDialog } from '../menu/LogoutDialog';
import type { MenuAction } from '../menu/MainMenu';
import { SettingsDialog } from '../menu/SettingsDialog';
import { ChatSidebar } from './ChatSidebar';
import { Conversation } from './Conversation';
import { EmptyConversation } from './EmptyConversation';
import { GroupInfoPanel } from './GroupInfoPanel';
import { NewChatDialog } from './NewChatDialog';
import { NewDeviceAlert } from './NewDeviceAlert';
import { NewGroupDialog } from './NewGroupDialog';
import { useChats } from './useChats';
import './ChatScreen.css';
import './Conversation.css';

type OpenDialog = 'none' | 'new_chat' | 'new_group' | 'settings' | 'logout';

interface ChatScreenProps {
  /** Who this browser is linked to (the engine keeps it current: the phone may rename the account). */
  identity: LinkedIdentity;
  onLogout: () => void;
}

/** The linked computer's main screen, laid out like the messenger people already know. */
export function ChatScreen({ identity, onLogout }: ChatScreenProps) {
  const account = identity.account;
  // The open chat lives in the URL (NAV-1): a reload reopens it, Back closes it.
  const [location, navigate] = useLocation();
  const route = parseChatPath(location);
  const openChatId = route?.chatId ?? null;
  const infoOpen = route?.info ?? false;
  /** Opening a chat from the list is one history entry; switching chats replaces it, so Back closes. */
  const showChat = (chatId: string | null) => {
    if (chatId === null) goBack(() => navigate(ROUTES.home, { replace: true }));
    else navigate(chatPath(chatId), { replace: openChatId !== null, state: IN_APP_ENTRY });
  };
  const setInfoOpen = (open: boolean) => {
    if (!openChatId) return;
    navigate(open ? chatInfoPath(openChatId) : chatPath(openChatId), { replace: true, state: history.state });
  };
  const chats = useChats();
  useOpenChat(openChatId);
  useFlushCacheOnHide();
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<OpenDialog>('none');
  const menuButton = useRef<HTMLButtonElement>(null);
  const newChatButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // A chat this account left or was removed from closes (chat.removed, MSG-4); so does a URL naming a
  // chat the server does not list (judged only once the list is the server's, not the cache's).
  const openChatGone =
    openChatId !== null && !chats.state.chats[openChatId] && chats.state.catchUp.kind === 'live';
  // The QR page's own paths mean nothing once linked.
  const foreignPath = route === null && location !== ROUTES.home;
  useEffect(() => {
    if (openChatGone || foreignPath) navigate(ROUTES.home, { replace: true });
  }, [openChatGone, foreignPath, navigate]);

  const totalUnread = Object.values(chats.state.chats).reduce((n, c) => n + unreadCount(c, account.id), 0);
  useEffect(() => {
    document.title = totalUnread > 0 ? `(${totalUnread}) Latch` : 'Latch';
  }, [totalUnread]);

  const openDialog = (which: OpenDialog, from: HTMLElement | null) => {
    returnFocus.current = from;
    setDialog(which);
  };
  const closeDialog = () => setDialog('none');
  // Back to the control that opened the dialog, once the modal (which makes the page inert) is gone.
  useEffect(() => {
    if (dialog !== 'none') return;
    returnFocus.current?.focus();
    returnFocus.current = null;
  }, [dialog]);

  const menuActions: MenuAction[] = [
    { label: 'New chat', onSelect: () => openDialog('new_chat', menuButton.current) },
    { label: 'New group', onSelect: () => openDialog('new_group', menuButton.current) },
    { label: 'Settings', onSelect: () => openDialog('settings', menuButton.current) },
    { label: 'Log out', onSelect: () => openDialog('logout', menuButton.current) },
  ];

  const openChat = openChatId ? chats.state.chats[openChatId] : undefined;
  const groupInfo = infoOpen && openChat?.kind === 'group';

  return (
    <div className={openChat ? 'chat-screen chat-screen-open' : 'chat-screen'}>
      <ConnectionStatusBar />
      <ChatSidebar
        account={account}
        chats={chats.state}
        selectedChatId={openChatId}
        query={query}
        onQueryChange={setQuery}
        onOpenChat={showChat}
        onNewChat={() => openDialog('new_chat', newChatButton.current)}
        menuActions={menuActions}
        menuButtonRef={menuButton}
        newChatButtonRef={newChatButton}
        notices={<NewDeviceAlert ownDeviceId={identity.deviceId} />}
      />
      <main className={groupInfo ? 'conversation-pane conversation-pane-info' : 'conversation-pane'}>
        <h1 className="visually-hidden">Latch</h1>
        {openChat ? (
          <Conversation
            chat={openChat}
            chats={chats}
            selfAccountId={account.id}
            infoOpen={groupInfo}
            onBack={() => showChat(null)}
            onToggleInfo={() => setInfoOpen(!infoOpen)}
          />
        ) : (
          <EmptyConversation />
        )}
        {openChat && groupInfo && (
          <GroupInfoPanel
            chat={openChat}
            selfAccountId={account.id}
            actions={chats}
            onClose={() => setInfoOpen(false)}
          />
        )}
      </main>
      {dialog === 'new_chat' && (
        <NewChatDialog
          openDirect={chats.openDirect}
          onOpened={(chatId) => {
            returnFocus.current = null;
            setDialog('none');
            showChat(chatId);
          }}
          onClose={closeDialog}
        />
      )}
      {dialog === 'new_group' && (
        <NewGroupDialog
          chats={chats.state}
          selfAccountId={account.id}
          createGroup={chats.createGroup}
          onCreated={(chatId) => {
            returnFocus.current = null;
            setDialog('none');
            showChat(chatId);
          }}
          onClose={closeDialog}
        />
      )}
      {dialog === 'settings' && <SettingsDialog account={account} onClose={closeDialog} />}
      {dialog === 'logout' && <LogoutDialog onCancel={closeDialog} onConfirm={onLogout} />}
    </div>
  );
}
