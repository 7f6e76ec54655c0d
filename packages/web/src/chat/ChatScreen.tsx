import type { SocketState } from '@latch/client';
import { useEffect, useRef, useState } from 'react';
import type { Connection, LinkedIdentity } from '../app/Connection';
import type { ChatCache } from '../cache/ChatCache';
import type { CacheSnapshot } from '../cache/cacheRecords';
import { LogoutDialog } from '../menu/LogoutDialog';
import type { MenuAction } from '../menu/MainMenu';
import { SettingsDialog } from '../menu/SettingsDialog';
import { ChatSidebar } from './ChatSidebar';
import { Conversation } from './Conversation';
import { unreadCount } from './chatSelectors';
import { EmptyConversation } from './EmptyConversation';
import { GroupInfoPanel } from './GroupInfoPanel';
import { NewChatDialog } from './NewChatDialog';
import { NewDeviceAlert } from './NewDeviceAlert';
import { NewGroupDialog } from './NewGroupDialog';
import { useCacheWriter } from './useCacheWriter';
import { useChats } from './useChats';
import './ChatScreen.css';
import './Conversation.css';

type OpenDialog = 'none' | 'new_chat' | 'new_group' | 'settings' | 'logout';

interface ChatScreenProps {
  connection: Connection;
  identity: LinkedIdentity;
  socketState: SocketState;
  cache: ChatCache;
  /** What the local cache held when the tab opened. */
  seed: CacheSnapshot | null;
  onLogout: () => void;
}

/** Keeps the account current: the phone may rename it while this page is open. */
function useAccount(connection: Connection, identity: LinkedIdentity) {
  const [account, setAccount] = useState(identity.account);
  useEffect(() => setAccount(identity.account), [identity]);
  useEffect(
    () =>
      connection.subscribeEvents((frame) => {
        if (frame.type === 'account.changed') setAccount(frame.account);
      }),
    [connection],
  );
  return account;
}

/** The linked computer's main screen, laid out like the messenger people already know. */
export function ChatScreen({ connection, identity, socketState, cache, seed, onLogout }: ChatScreenProps) {
  const account = useAccount(connection, identity);
  const [openChatId, setOpenChatId] = useState<string | null>(null);
  const [infoOpen, setInfoOpen] = useState(false);
  const showChat = (chatId: string | null) => {
    setOpenChatId(chatId);
    setInfoOpen(false);
  };
  const chats = useChats({ connection, selfAccountId: account.id, seed, openChatId });
  useCacheWriter(cache, chats.state, { account, deviceId: identity.deviceId });
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<OpenDialog>('none');
  const menuButton = useRef<HTMLButtonElement>(null);
  const newChatButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // A chat this account left or was removed from closes (chat.removed, MSG-4).
  const openChatGone = openChatId !== null && !chats.state.chats[openChatId];
  useEffect(() => {
    if (!openChatGone) return;
    setOpenChatId(null);
    setInfoOpen(false);
  }, [openChatGone]);

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
      <ChatSidebar
        account={account}
        socketState={socketState}
        chats={chats.state}
        selectedChatId={openChatId}
        query={query}
        onQueryChange={setQuery}
        onOpenChat={showChat}
        onNewChat={() => openDialog('new_chat', newChatButton.current)}
        menuActions={menuActions}
        menuButtonRef={menuButton}
        newChatButtonRef={newChatButton}
        notices={<NewDeviceAlert connection={connection} ownDeviceId={identity.deviceId} />}
      />
      <main className={groupInfo ? 'conversation-pane conversation-pane-info' : 'conversation-pane'}>
        {openChat ? (
          <Conversation
            chat={openChat}
            chats={chats}
            selfAccountId={account.id}
            infoOpen={groupInfo}
            onBack={() => showChat(null)}
            onToggleInfo={() => setInfoOpen((open) => !open)}
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
