// The runner's event channel to Jest: listeners may be async and emit waits for all of them, as Jest expects.

import type { TestEvents } from 'jest-runner';

export type EventName = keyof TestEvents;
type Listener<N extends EventName> = (data: TestEvents[N]) => void | Promise<void>;

export class RunnerEvents {
  private readonly listeners = new Map<EventName, Set<Listener<EventName>>>();

  on<N extends EventName>(name: N, listener: Listener<N>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as Listener<EventName>);
    return () => set.delete(listener as Listener<EventName>);
  }

  async emit<N extends EventName>(name: N, data: TestEvents[N]): Promise<void> {
    const set = this.listeners.get(name);
    if (!set) return;
    await Promise.all([...set].map((listener) => listener(data)));
  }
}

export const EVENT_NAMES: readonly EventName[] = ['test-file-start', 'test-file-success', 'test-file-failure', 'test-case-start', 'test-case-result'];
