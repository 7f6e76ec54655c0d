import { LockIcon } from '../ui/icons';

function Illustration() {
  return (
    <svg className="empty-illustration" viewBox="0 0 320 200" aria-hidden="true" focusable="false">
      <rect x="40" y="30" width="190" height="125" rx="10" className="ill-screen" />
      <rect x="52" y="42" width="166" height="101" rx="4" className="ill-glass" />
      <path d="M20 160h230a8 8 0 0 1-8 10H28a8 8 0 0 1-8-10Z" className="ill-base" />
      <rect x="70" y="62" width="80" height="14" rx="7" className="ill-bubble-in" />
      <rect x="120" y="86" width="84" height="14" rx="7" className="ill-bubble-out" />
      <rect x="70" y="110" width="60" height="14" rx="7" className="ill-bubble-in" />
      <rect x="236" y="70" width="62" height="112" rx="10" className="ill-screen" />
      <rect x="243" y="82" width="48" height="86" rx="4" className="ill-glass" />
      <rect x="250" y="96" width="30" height="9" rx="4.5" className="ill-bubble-in" />
      <rect x="256" y="112" width="30" height="9" rx="4.5" className="ill-bubble-out" />
      <path d="M218 64c10-12 22-16 34-12" className="ill-link" />
      <circle cx="254" cy="54" r="4" className="ill-dot" />
    </svg>
  );
}

/** The right pane when no chat is open. */
export function EmptyConversation() {
  return (
    <div className="empty-conversation">
      <Illustration />
      <h2 className="empty-title">Latch for your computer</h2>
      <p className="empty-text">
        Send and receive messages right here. Your messages stay in sync with your phone, which keeps this
        computer linked.
      </p>
      <p className="empty-footnote">
        <LockIcon className="empty-footnote-icon" />
        On a shared computer, log out from the menu when you're done.
      </p>
    </div>
  );
}
