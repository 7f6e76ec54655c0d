import os from 'node:os';
import type { SecurityEventView } from '@latch/protocol';
import pino, { type Logger } from 'pino';

/** pino's file destination (sonic-boom): buffered writes, reopen for logrotate. */
type AuditFile = ReturnType<typeof pino.destination>;

/** A security event as the audit stream carries it: identifiers, reason and IP; never a secret. */
export interface AuditedSecurityEvent {
  accountId: string;
  event: SecurityEventView;
}

/** An operator's `latch …` command: what was asked and how it ended. */
export interface OperatorCommand {
  command: string;
  /** Positional arguments (phone numbers, file names): identifiers, not secrets. */
  args: string[];
  /** Flags given, by name (values only for flags that take identifiers, e.g. --device). */
  options: Record<string, string | boolean>;
  outcome: 'ok' | 'failed';
  /** What it did, e.g. devices logged out. */
  result?: Record<string, number | string>;
  error?: string;
}

/**
 * The audit stream: one JSON line per security event (link, logout with its reason, wipe, PIN set,
 * change, failure and lockout, registration and re-registration) and per operator command, for an
 * operator to ship to a SIEM or keep for investigations. Lines carry `audit: true`.
 *
 * Entries are built field by field from identifiers (account and device ids, device name, reason,
 * IP, time), so a token, code, PIN or message body cannot reach this stream: the records it is built
 * from hold none.
 */
export class AuditLog {
  private constructor(
    private readonly log: Logger,
    private readonly file: AuditFile | null,
  ) {}

  /**
   * `AUDIT_LOG=<file>`: lines appended to that file (reopened on {@link reopen}, e.g. after
   * logrotate). Unset: lines go to the main log's output, at info whatever LOG_LEVEL says (only
   * `silent` silences them), marked `audit: true` so a shipper can route them.
   */
  static open(opts: { file: string | undefined; log: Logger; logLevel: string }): AuditLog {
    if (opts.file) {
      const dest = pino.destination({ dest: opts.file, append: true, mkdir: true, sync: false });
      const log = pino(
        { base: { audit: true, host: os.hostname() }, timestamp: pino.stdTimeFunctions.isoTime },
        dest,
      );
      return new AuditLog(log, dest);
    }
    const level = opts.logLevel === 'silent' ? 'silent' : 'info';
    return new AuditLog(opts.log.child({ audit: true }, { level }), null);
  }

  /** Records a security event after the transaction that wrote it committed. */
  securityEvent({ accountId, event }: AuditedSecurityEvent): void {
    this.log.info(
      {
        event: event.type,
        eventId: event.id,
        at: new Date(event.at).toISOString(),
        accountId,
        deviceId: event.deviceId,
        deviceName: event.deviceName,
        reason: event.reason,
        ip: event.ip,
      },
      'security event',
    );
  }

  operatorCommand(cmd: OperatorCommand): void {
    this.log.info(
      {
        event: 'operator_command',
        command: cmd.command,
        args: cmd.args,
        options: cmd.options,
        outcome: cmd.outcome,
        ...(cmd.result ? { result: cmd.result } : {}),
        ...(cmd.error ? { error: cmd.error } : {}),
        user: safeUser(),
      },
      'operator command',
    );
  }

  /** Reopens the file (after logrotate moved it): SIGHUP in a running server. */
  reopen(): void {
    this.file?.reopen();
  }

  /** Writes out what is buffered; closes the file. */
  async close(): Promise<void> {
    const file = this.file;
    if (!file) return;
    // end() writes what is buffered (waiting for the file to open if it has not yet), then closes.
    await new Promise<void>((resolve) => {
      file.once('close', () => resolve());
      file.end();
    });
  }
}

/** The OS account running the command, for "who did it"; never fails a command. */
function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? 'unknown');
  }
}
