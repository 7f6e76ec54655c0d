import type { Logger } from 'pino';
import { AuditLog } from './audit';
import type { PublishObserver } from './bus/events';
import type { Config } from './config';
import { Metrics } from './metrics';

export interface Observability {
  metrics: Metrics;
  audit: AuditLog;
  /** Given to the bus: hears what this node publishes, after the commit. */
  observe: PublishObserver;
}

/**
 * The node's metrics and audit stream. Security events reach both once, on the node that recorded
 * them, when their transaction has committed (the bus's publish), so a rolled-back change is never
 * audited and a cluster does not count one event once per node.
 */
export function openObservability(config: Config, log: Logger, version: string): Observability {
  const metrics = new Metrics(version);
  const audit = AuditLog.open({ file: config.auditLog, log, logLevel: config.logLevel });
  const observe: PublishObserver = (e) => {
    if (e.type === 'devices.revoked') metrics.devicesLoggedOut(e.reason, e.deviceIds.length);
    if (e.type !== 'security.event') return;
    metrics.securityEvent(e.event);
    audit.securityEvent(e);
  };
  return { metrics, audit, observe };
}
