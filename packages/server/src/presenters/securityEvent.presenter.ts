import type { SecurityEventView } from '@latch/protocol';
import { SecurityEventType } from '@latch/protocol';
import type { SecurityEvent } from '../domain/securityEvent';

export function presentSecurityEvent(e: SecurityEvent): SecurityEventView {
  return {
    id: e.id,
    type: SecurityEventType.parse(e.type),
    at: e.at,
    deviceId: e.deviceId,
    deviceName: e.deviceName,
    reason: e.reason,
    ip: e.ip,
  };
}
