/**
 * A small typed event emitter: `on` returns the function that removes the listener, so
 * owners can drop every subscription they made when they are disposed.
 */
export class Emitter<Events extends Record<string, unknown[]>> {
  private readonly listeners = new Map<keyof Events, Set<(...args: unknown[]) => void>>();

  /** Adds a listener; returns a function that removes it. */
  on<Name extends keyof Events>(name: Name, listener: (...args: Events[Name]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    const stored = listener as unknown as (...args: unknown[]) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  /** Calls every listener of `name`; a listener that throws does not stop the others. */
  protected emit<Name extends keyof Events>(name: Name, ...args: Events[Name]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Removes every listener. */
  protected removeAllListeners(): void {
    this.listeners.clear();
  }
}
