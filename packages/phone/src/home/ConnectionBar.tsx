import { useSnapshot } from '../session/SessionContext';

/** A thin line while the phone is not connected, so nobody wonders why nothing arrives. */
export function ConnectionBar() {
  const { connection } = useSnapshot();
  let text: string | null = null;
  switch (connection.kind) {
    case 'connecting':
      text = connection.attempt > 0 ? 'Connecting…' : null;
      break;
    case 'reconnecting':
      text = 'Waiting for the server… reconnecting';
      break;
    case 'ready':
    case 'logged_out':
    case 'closed':
      text = null;
      break;
    default: {
      const missing: never = connection;
      throw new Error(`Unhandled connection state ${JSON.stringify(missing)}`);
    }
  }
  return (
    <div className={text ? 'connection-bar connection-bar--shown' : 'connection-bar'} role="status">
      {text}
    </div>
  );
}
