/** What a batch decided for one item: its value, or the error its submitter gets. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Gathers work items and hands them to `run` together: everything submitted before the batch is
 * scheduled (`setImmediate`, so all frames read in one turn of the event loop) or within `delayMs`.
 * One batch runs at a time; items submitted meanwhile wait for the next. Each item's promise
 * settles with what `run` decided for it.
 */
export class Batcher<In, Out> {
  private queue: Array<{ input: In; resolve: (out: Out) => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: (inputs: In[]) => Promise<Array<Outcome<Out>>>,
    private readonly options: { maxBatch: number; delayMs?: number },
  ) {}

  submit(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Runs everything queued now (and waits for the batch already running). */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.drain());
    return this.running;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      void this.flush();
    };
    if (this.options.delayMs) setTimeout(go, this.options.delayMs).unref();
    else setImmediate(go);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      try {
        const results = await this.run(batch.map((b) => b.input));
        batch.forEach((b, i) => {
          const r = results[i];
          if (!r) b.reject(new Error('batch returned no result'));
          else if (r.ok) b.resolve(r.value);
          else b.reject(r.error);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }
}
