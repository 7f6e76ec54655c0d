/** A listener is told that the snapshot changed; it reads the new one with `getSnapshot()`. */
export type Listener = () => void;

/**
 * One value that changes over time, shaped for React's `useSyncExternalStore`: `getSnapshot()`
 * returns the same object until the value changes, and a change is a new object (never a mutation),
 * so a view compares snapshots with `===`.
 */
export class Store<T> {
  private value: T;
  private readonly listeners = new Set<Listener>();

  constructor(initial: T) {
    this.value = initial;
  }

  readonly getSnapshot = (): T => this.value;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Replaces the value; listeners hear about it only when it is a different object. */
  set(next: T): void {
    if (Object.is(next, this.value)) return;
    this.value = next;
    for (const listener of [...this.listeners]) listener();
  }

  update(change: (current: T) => T): void {
    this.set(change(this.value));
  }
}
