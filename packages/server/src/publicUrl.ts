import type { Config } from './config';

/** Hosts that mean "this machine only": a local run, where the default public URL is localhost. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '0.0.0.0', '::1', '::', '[::1]', '[::]']);

/**
 * The origin people reach this node at, and the origins requests may come from (SEC-5).
 *
 * Absolute URLs are built from configuration only, never from `Host` or `X-Forwarded-Host`, which
 * any client can set. "Same origin" means PUBLIC_URL's origin (plus ALLOWED_ORIGINS), not "whatever
 * Host says", so a page on a rebound DNS name cannot pass for Latch. For a local run without
 * PUBLIC_URL the loopback spellings of the listening port (localhost, 127.0.0.1, [::1]) all count.
 */
export class PublicUrl {
  private port: number;

  constructor(private readonly config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'allowedOrigins'>) {
    this.port = config.port;
  }

  /** The port actually listened on (PORT=0 picks one), for the derived default. */
  bind(port: number): void {
    this.port = port;
  }

  /** `https://chat.example.org`, no trailing slash. */
  get origin(): string {
    if (this.config.publicUrl) return this.config.publicUrl;
    return this.localRun
      ? `http://localhost:${this.port}`
      : `http://${hostForUrl(this.config.host)}:${this.port}`;
  }

  /** An absolute URL on this server: `to('/phone/#x')` → `https://chat.example.org/phone/#x`. */
  to(pathAndMore: string): string {
    return `${this.origin}${pathAndMore.startsWith('/') ? '' : '/'}${pathAndMore}`;
  }

  /**
   * Whether a request's `Origin` header may act here. No header: not sent by a page (browsers send
   * one on every POST and WebSocket), so nothing to check. Compared as strings: nothing is parsed.
   */
  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    if (origin === this.origin || this.config.allowedOrigins.includes(origin)) return true;
    if (!this.localRun) return false;
    return [`http://127.0.0.1:${this.port}`, `http://[::1]:${this.port}`].includes(origin);
  }

  private get localRun(): boolean {
    return this.config.publicUrl === null && LOOPBACK_HOSTS.has(this.config.host);
  }
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
