import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** A screen pushed over the tabs: a back arrow, its title as the page's heading, scrolling content. */
export function SubScreen({
  title,
  onBack,
  children,
}: {
  title: string;
  onBack: () => void;
  children: ReactNode;
}) {
  return (
    <main className="screen">
      <header className="app-bar app-bar--sub">
        <button type="button" className="icon-button" aria-label="Back" onClick={onBack}>
          <Icon name="back" />
        </button>
        <h1 className="app-bar__title app-bar__title--sub">{title}</h1>
      </header>
      <div className="screen__scroll">{children}</div>
    </main>
  );
}
