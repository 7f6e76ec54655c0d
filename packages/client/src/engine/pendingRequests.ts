import { ApiError } from '../api';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Requests sent and not yet answered, each with its own timeout (ENG-5). */
export class PendingRequests {
  private readonly byId = new Map<string, Pending>();

  /** Registers `id` and resolves with the answer's result, or rejects on error, timeout or loss. */
  wait(id: string, timeoutMs: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.byId.delete(id);
        reject(new ApiError(0, { code: 'network', message: 'The server did not answer in time.' }));
      }, timeoutMs);
      this.byId.set(id, { resolve, reject, timer });
    });
  }

  settle(id: string, outcome: { ok: true; result: unknown } | { ok: false; error: Error }): void {
    const pending = this.byId.get(id);
    if (!pending) return;
    this.byId.delete(id);
    clearTimeout(pending.timer);
    if (outcome.ok) pending.resolve(outcome.result);
    else pending.reject(outcome.error);
  }

  /** The connection went away: nothing sent on it will be answered. */
  failAll(message: string): void {
    for (const [id, pending] of this.byId) {
      clearTimeout(pending.timer);
      this.byId.delete(id);
      pending.reject(new ApiError(0, { code: 'network', message }));
    }
  }
}
