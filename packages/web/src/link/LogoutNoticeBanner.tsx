import { describeLogoutReason, LOGGED_OUT_TITLE, type LogoutNotice } from '../app/logoutNotice';
import { AlertIcon } from '../ui/icons';

/** OUT-4 / OUT-5: tells the person why this computer is back on the QR page. */
export function LogoutNoticeBanner({ notice }: { notice: LogoutNotice }) {
  return (
    <div className="logout-notice" role="status">
      <AlertIcon className="logout-notice-icon" />
      <p>
        <strong>{LOGGED_OUT_TITLE}</strong> <span>{describeLogoutReason(notice.reason)}</span>
      </p>
    </div>
  );
}
