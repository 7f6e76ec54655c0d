import type { Logger } from 'pino';
import type { Bus, BusEvent, BusHandler, PublishObserver } from './events';

/** The single-node bus: handlers run on the next microtask, as if the event came over the wire. */
export class MemoryBus implements Bus {
  private readonly handlers = new Set<BusHandler>();

  constructor(private readonly observe?: PublishObserver) {}

  async publish(event: BusEvent): Promise<void> {
    this.observe?.(event);
    await Promise.resolve();
    for (const h of this.handlers) h(event);
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** One process never misses its own events. */
  onRecovered(_handler: () => void): () => void {
    return () => undefined;
  }

  async reachable(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

/** The bus named by BUS_URL: `memory://` (one node) or `redis://…` / `rediss://…` (many nodes). */
export async function openBus(url: string, log: Logger, observe?: PublishObserver): Promise<Bus> {
  if (url === 'memory://') return new MemoryBus(observe);
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { RedisBus } = await import('./redisBus');
    return RedisBus.open(url, { log, ...(observe ? { observe } : {}) });
  }
  throw new Error('BUS_URL must be empty (in-process bus) or start with redis:// or rediss://');
}
