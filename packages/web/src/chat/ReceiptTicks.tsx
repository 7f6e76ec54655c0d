import type { Receipt } from '@latch/client';
import { CheckIcon, ClockIcon, DoubleCheckIcon } from '../ui/icons';

/** The status mark on this account's own messages: clock, ✓ sent, ✓✓ delivered, blue ✓✓ read. */
export function ReceiptTicks({ receipt }: { receipt: Receipt | 'pending' }) {
  switch (receipt) {
    case 'pending':
      return (
        <span className="ticks ticks-pending" role="img" aria-label="Sending">
          <ClockIcon />
        </span>
      );
    case 'sent':
      return (
        <span className="ticks" role="img" aria-label="Sent">
          <CheckIcon />
        </span>
      );
    case 'delivered':
      return (
        <span className="ticks ticks-double" role="img" aria-label="Delivered">
          <DoubleCheckIcon />
        </span>
      );
    case 'read':
      return (
        <span className="ticks ticks-double ticks-read" role="img" aria-label="Read">
          <DoubleCheckIcon />
        </span>
      );
    default: {
      const missing: never = receipt;
      throw new Error(`Unhandled receipt: ${String(missing)}`);
    }
  }
}
