import { useOutdatedBrowser } from '../app/useOutdatedBrowser';
import { AlertIcon } from './icons';
import './UpdateBrowserBanner.css';

/** UA-1: "Update your browser", shown only when this browser is below the server's minimum. */
export function UpdateBrowserBanner() {
  const outdated = useOutdatedBrowser();
  if (!outdated) return null;
  const { label, major, minimum, current } = outdated;
  return (
    <div className="update-browser" role="status">
      <AlertIcon className="update-browser-icon" />
      <p>
        <strong>Update your browser.</strong> Latch needs {label} {minimum} or later; this is {label} {major}.
        {current !== null && ` The current version is ${current}.`} Old browsers miss security fixes that
        protect your messages and this computer's link to your phone.
      </p>
    </div>
  );
}
