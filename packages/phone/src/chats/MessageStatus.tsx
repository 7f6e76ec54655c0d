import { Icon } from '../ui/Icon';

export type Delivery = 'sending' | 'failed' | 'sent' | 'delivered' | 'read';

const LABEL: Record<Delivery, string> = {
  sending: 'Sending',
  failed: 'Not sent',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};

/** Where an own message stands, as WhatsApp-style ticks with a spoken label. */
export function deliveryOf(seq: number, othersDeliveredSeq: number, othersReadSeq: number): Delivery {
  if (seq <= othersReadSeq) return 'read';
  if (seq <= othersDeliveredSeq) return 'delivered';
  return 'sent';
}

export function MessageStatus({ delivery }: { delivery: Delivery }) {
  const icon =
    delivery === 'sending'
      ? 'clock'
      : delivery === 'failed'
        ? 'alert'
        : delivery === 'sent'
          ? 'check'
          : 'checks';
  return (
    <span className={`ticks ticks--${delivery}`} title={LABEL[delivery]}>
      <Icon name={icon} />
      <span className="visually-hidden">{LABEL[delivery]}</span>
    </span>
  );
}
