import type { SocketState } from '@latch/client';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import type { Connection, LinkedIdentity } from '../app/Connection';
import { LogoutDialog } from '../menu/LogoutDialog';
import type { MenuAction } from '../menu/MainMenu';
import { SettingsDialog } from '../menu/SettingsDialog';
import { ChatSidebar } from './ChatSidebar';
import { Conversation } from './Conversation';
import { unreadCount } from './chatSelectors';
import { EmptyConversation } from './EmptyConversation';
import { NewChatDialog } from './NewChatDialog';
import { useChats } from './useChats';
import './ChatScreen.css';
import './Conversation.css';

type OpenDialog = 'none' | 'new_chat' | 'settings' | 'logout';

interface ChatScreenProps {
  connection: Connection;
  identity: LinkedIdentity;
  socketState: SocketState;
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
export function ChatScreen({ connection, identity, socketState, onLogout }: ChatScreenProps) {
  const account = useAccount(connection, identity);
  const chats = useChats(connection, account.id, socketState);
  const [openChatId, setOpenChatId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [dialog, setDialog] = useState<OpenDialog>('none');
  const menuButton = useRef<HTMLButtonElement>(null);
  const newChatButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  // The open chat's history on open and after every reconnect (fills any gap).
  const refreshOpenChat = useEffectEvent((chatId: string) => chats.loadLatest(chatId));
  useEffect(() => {
    if (socketState.kind === 'ready' && openChatId) refreshOpenChat(openChatId);
  }, [socketState, openChatId]);

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
    { label: 'Settings', onSelect: () => openDialog('settings', menuButton.current) },
    { label: 'Log out', onSelect: () => openDialog('logout', menuButton.current) },
  ];

  const openChat = openChatId ? chats.state.chats[openChatId] : undefined;

  return (
    <div className={openChat ? 'chat-screen chat-screen-open' : 'chat-screen'}>
      <ChatSidebar
        account={account}
        socketState={socketState}
        chats={chats.state}
        selectedChatId={openChatId}
        query={query}
        onQueryChange={setQuery}
        onOpenChat={setOpenChatId}
        onNewChat={() => openDialog('new_chat', newChatButton.current)}
        menuActions={menuActions}
        menuButtonRef={menuButton}
        newChatButtonRef={newChatButton}
      />
      <main className="conversation-pane">
        {openChat ? (
          <Conversation
            chat={openChat}
            chats={chats}
            selfAccountId={account.id}
            onBack={() => setOpenChatId(null)}
          />
        ) : (
          <EmptyConversation />
        )}
      </main>
      {dialog === 'new_chat' && (
        <NewChatDialog
          openDirect={chats.openDirect}
          onOpened={(chatId) => {
            returnFocus.current = null;
            setDialog('none');
            setOpenChatId(chatId);
          }}
          onClose={closeDialog}
        />
      )}
      {dialog === 'settings' && <SettingsDialog account={account} onClose={closeDialog} />}
      {dialog === 'logout' && <LogoutDialog onCancel={closeDialog} onConfirm={onLogout} />}
    </div>
  );
}
