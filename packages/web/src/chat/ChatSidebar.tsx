import type { ChatsState } from '@latch/client';
import type { AccountView } from '@latch/protocol';
import type { ReactNode, RefObject } from 'react';
import { MainMenu, type MenuAction } from '../menu/MainMenu';
import { Avatar } from '../ui/Avatar';
import { NewChatIcon, SearchIcon } from '../ui/icons';
import { UpdateBrowserBanner } from '../ui/UpdateBrowserBanner';
import { ChatList } from './ChatList';

interface ChatSidebarProps {
  account: AccountView;
  chats: ChatsState;
  selectedChatId: string | null;
  query: string;
  onQueryChange: (query: string) => void;
  onOpenChat: (chatId: string) => void;
  onNewChat: () => void;
  menuActions: MenuAction[];
  menuButtonRef: RefObject<HTMLButtonElement | null>;
  newChatButtonRef: RefObject<HTMLButtonElement | null>;
  /** Security notices shown above the chat list (e.g. a new device was linked). */
  notices?: ReactNode;
}

/** The left column: menu and account, search, and the chat list. */
export function ChatSidebar(props: ChatSidebarProps) {
  const { account } = props;
  const name = account.name || account.phoneNumber;
  return (
    <aside className="sidebar" aria-label="Chat list">
      <header className="sidebar-header">
        <MainMenu actions={props.menuActions} buttonRef={props.menuButtonRef} />
        <div className="sidebar-account">
          <Avatar name={name} seed={account.id} size="small" />
          <span className="sidebar-account-name">{name}</span>
        </div>
        <button
          ref={props.newChatButtonRef}
          type="button"
          className="icon-button"
          aria-label="New chat"
          title="New chat"
          onClick={props.onNewChat}
        >
          <NewChatIcon />
        </button>
      </header>
      <UpdateBrowserBanner />
      {props.notices}
      <div className="search">
        <div className="search-box">
          <SearchIcon className="search-icon" />
          <input
            type="search"
            className="search-input"
            aria-label="Search chats"
            placeholder="Search chats"
            value={props.query}
            onChange={(e) => props.onQueryChange(e.currentTarget.value)}
          />
        </div>
      </div>
      <ChatList
        state={props.chats}
        selfAccountId={account.id}
        selectedChatId={props.selectedChatId}
        query={props.query}
        onOpen={props.onOpenChat}
      />
    </aside>
  );
}
