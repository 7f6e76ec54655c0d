import { type KeyboardEvent, type ReactNode, useId } from 'react';
import { BrandMark } from '../registration/BrandMark';
import { Icon, type IconName } from '../ui/Icon';

export type TabId = 'chats' | 'settings';

const TABS: { id: TabId; label: string; icon: IconName }[] = [
  { id: 'chats', label: 'Chats', icon: 'chat' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];

export interface TabBarProps {
  current: TabId;
  onSelect: (tab: TabId) => void;
  chats: ReactNode;
  settings: ReactNode;
}

/** The home screen: title bar, the current tab's content, and the bottom tab bar. */
export function TabBar({ current, onSelect, chats, settings }: TabBarProps) {
  const id = useId();
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const next = TABS[(TABS.findIndex((t) => t.id === current) + 1) % TABS.length];
    if (!next) return;
    onSelect(next.id);
    document.getElementById(`${id}-tab-${next.id}`)?.focus();
  };
  return (
    <main className="screen">
      <header className="app-bar">
        {current === 'chats' ? (
          <h1 className="app-bar__brand">
            <BrandMark size="small" />
            Latch
          </h1>
        ) : (
          <h1 className="app-bar__title">Settings</h1>
        )}
      </header>
      <div
        className="screen__scroll"
        role="tabpanel"
        id={`${id}-panel`}
        aria-labelledby={`${id}-tab-${current}`}
      >
        {current === 'chats' ? chats : settings}
      </div>
      <div className="tab-bar" role="tablist" aria-label="Sections">
        {TABS.map((tab) => (
          <button
            key={tab.id}
            id={`${id}-tab-${tab.id}`}
            type="button"
            role="tab"
            className="tab-bar__tab"
            aria-selected={tab.id === current}
            aria-controls={`${id}-panel`}
            tabIndex={tab.id === current ? 0 : -1}
            onClick={() => onSelect(tab.id)}
            onKeyDown={onKeyDown}
          >
            <span className="tab-bar__pill">
              <Icon name={tab.icon} />
            </span>
            <span className="tab-bar__label">{tab.label}</span>
          </button>
        ))}
      </div>
    </main>
  );
}
