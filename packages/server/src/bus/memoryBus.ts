import type { Bus, BusEvent, BusHandler } from './events';

/** The single-node bus: handlers run on the next microtask, as if the event came over the wire. */
export class MemoryBus implements Bus {
  private readonly handlers = new Set<BusHandler>();

  async publish(event: BusEvent): Promise<void> {
    await Promise.resolve();
    for (const h of this.handlers) h(event);
  }

  subscribe(handler: BusHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  async close(): Promise<void> {
    this.handlers.clear();
  }
}

export async function openBus(url: string): Promise<Bus> {
  if (url === 'memory://') return new MemoryBus();
  throw new Error('BUS_URL must be empty (in-process); Redis support comes with the scale-out work.');
}
