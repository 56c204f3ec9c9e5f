// Tracks real timers a test starts (pending-timer) and fake timers it switches on (fake-timers-left), and undoes both.
// A timer reaches the next test when it is still pending as that test's body starts; a real Node timer still
// pending when the file ends outlives it (it fires into whatever the worker runs next). Fake timers reach the next
// test when they are still on as its body starts and its own beforeEach hooks did not switch them on.
//
// Real timers: the sandbox's setTimeout/setInterval/clear* are wrapped once per file, when jest-circus has loaded
// (it captures the timer functions at load for its own timeouts, which therefore never pay for the wrappers) and
// before setupFilesAfterEnv and the test file load. Only calls made while a test runs are recorded. Jest's legacy
// fake timers put back the functions they saw when the environment was built (the unwrapped ones), so the wrappers
// are re-installed at each test start when needed.
// Fake timers: the environment's two FakeTimers objects are what `jest.useFakeTimers()` drives; their
// `useFakeTimers`/`useRealTimers` are wrapped on the instance to know when and where they were switched.

import type { CheckName } from '../core/findings';
import { messages } from '../core/findingFormat';
import { stillInPlace, type Leak, type Tracker } from './leak';
import { captureTrace, DEEP_TRACE_DEPTH, type Trace } from './trace';

type TimerKind = 'setTimeout' | 'setInterval';
type TimerFunction = (...args: unknown[]) => unknown;
type TimerGlobal = Record<'setTimeout' | 'setInterval' | 'clearTimeout' | 'clearInterval', TimerFunction>;
const TIMER_KEYS = ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] as const;

interface PendingTimer {
  kind: TimerKind;
  delay: unknown;
  handle: unknown;
  trace: Trace;
  /** Already reported as reaching a later test of the file. */
  reported?: boolean;
}

export interface FakeTimersLike {
  useFakeTimers(...args: unknown[]): void;
  useRealTimers(): void;
  _fakingTime?: boolean;
}

export interface TimerTrackerOptions {
  enabled: (check: CheckName) => boolean;
  global: object;
  fakeTimers: { modern?: FakeTimersLike | null; legacy?: FakeTimersLike | null };
}

const hasRef = (handle: unknown): boolean =>
  !(handle && typeof handle === 'object' && typeof (handle as { hasRef?: unknown }).hasRef === 'function') || (handle as { hasRef(): boolean }).hasRef();

export class TimerTracker implements Tracker {
  private readonly global: TimerGlobal;
  private native: TimerGlobal | undefined;
  private wrapped: TimerGlobal | undefined;
  /** Timers started by tests and still pending (fired timeouts and cleared timers leave), whichever test started them. */
  private readonly pending = new Map<unknown, PendingTimer>();
  /** Those the running test started. */
  private testTimers: PendingTimer[] = [];
  private inTest = false;
  private readonly checkTimers: boolean;
  private readonly checkFake: boolean;
  private readonly fake: Array<{ kind: 'modern' | 'legacy'; timers: FakeTimersLike; on: boolean; trace?: Trace; onAtStart: boolean; switchedInTest: number }> = [];

  constructor(private readonly options: TimerTrackerOptions) {
    this.global = options.global as TimerGlobal;
    this.checkTimers = options.enabled('pending-timer');
    this.checkFake = options.enabled('fake-timers-left');
  }

  install(): void {
    if (this.checkTimers) this.makeWrappers();
    if (this.checkFake) {
      for (const kind of ['modern', 'legacy'] as const) {
        const timers = this.options.fakeTimers[kind];
        if (timers && typeof timers.useFakeTimers === 'function') this.wrapFakeTimers(kind, timers);
      }
    }
  }

  uninstall(): void {
    if (this.native && this.wrapped) {
      for (const key of TIMER_KEYS) if (this.global[key] === this.wrapped[key]) this.global[key] = this.native[key];
    }
    for (const { timers } of this.fake) {
      delete (timers as Partial<FakeTimersLike>).useFakeTimers;
      delete (timers as Partial<FakeTimersLike>).useRealTimers;
    }
  }

  frameworkLoaded(): void {
    this.reinstallTimers();
  }

  private makeWrappers(): void {
    const g = this.global;
    if (TIMER_KEYS.some((key) => typeof g[key] !== 'function')) return;
    const native = Object.fromEntries(TIMER_KEYS.map((key) => [key, g[key]])) as TimerGlobal;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const start = (kind: TimerKind) =>
      function (this: unknown, callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
        if (!tracker.inTest || typeof callback !== 'function') return native[kind].apply(this, [callback, delay, ...args]);
        const pending = tracker.pending;
        const entry: PendingTimer = { kind, delay, handle: undefined, trace: captureTrace(wrapped[kind], DEEP_TRACE_DEPTH) };
        tracker.testTimers.push(entry);
        const run =
          kind === 'setTimeout'
            ? function (this: unknown, ...callbackArgs: unknown[]): unknown {
                pending.delete(entry.handle);
                return (callback as TimerFunction).apply(this, callbackArgs);
              }
            : callback;
        entry.handle = native[kind].apply(this, [run, delay, ...args]);
        pending.set(entry.handle, entry);
        return entry.handle;
      };
    const clear = (kind: 'clearTimeout' | 'clearInterval') =>
      function (this: unknown, handle: unknown): unknown {
        tracker.pending.delete(handle);
        return native[kind].call(this, handle);
      };
    const wrapped: TimerGlobal = {
      setTimeout: start('setTimeout'),
      setInterval: start('setInterval'),
      clearTimeout: clear('clearTimeout'),
      clearInterval: clear('clearInterval'),
    };
    for (const key of TIMER_KEYS) {
      // util.promisify(setTimeout) and friends read properties of the function itself.
      for (const property of Reflect.ownKeys(native[key])) {
        if (property === 'length' || property === 'name' || property === 'prototype') continue;
        Object.defineProperty(wrapped[key], property, Object.getOwnPropertyDescriptor(native[key], property)!);
      }
      Object.defineProperty(wrapped[key], 'name', { value: key });
    }
    this.native = native;
    this.wrapped = wrapped;
  }

  private wrapFakeTimers(kind: 'modern' | 'legacy', timers: FakeTimersLike): void {
    const record = { kind, timers, on: false, trace: undefined as Trace | undefined, onAtStart: false, switchedInTest: 0 };
    const useFake = timers.useFakeTimers;
    const useReal = timers.useRealTimers;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    timers.useFakeTimers = function useFakeTimers(...args: unknown[]): void {
      useFake.apply(timers, args);
      record.on = true;
      record.switchedInTest++;
      record.trace = tracker.inTest ? captureTrace(useFakeTimers) : undefined;
    };
    timers.useRealTimers = function useRealTimers(): void {
      useReal.call(timers);
      record.on = false;
      tracker.reinstallTimers();
    };
    this.fake.push(record);
  }

  private fakeOn(record: (typeof this.fake)[number]): boolean {
    const flag = record.timers._fakingTime;
    return typeof flag === 'boolean' ? flag : record.on;
  }

  /** Puts the wrappers where the sandbox has the native functions (not where fake timers are installed). */
  private reinstallTimers(): void {
    const { native, wrapped, global: g } = this;
    if (!native || !wrapped) return;
    for (const key of TIMER_KEYS) if (g[key] === native[key]) g[key] = wrapped[key];
  }

  testStarted(): void {
    // With the fake-timer wrappers in place, every switch back to real timers re-installs ours on the spot.
    if (this.fake.length === 0) this.reinstallTimers();
    this.inTest = true;
    this.testTimers = [];
    for (const record of this.fake) {
      record.onAtStart = this.fakeOn(record);
      record.switchedInTest = 0;
    }
  }

  testAbandoned(): void {
    this.inTest = false;
    this.testTimers = [];
  }

  private stillPending(timer: PendingTimer): boolean {
    if (!this.pending.has(timer.handle)) return false;
    if ((timer.handle as { _destroyed?: boolean })?._destroyed === true) {
      this.pending.delete(timer.handle);
      return false;
    }
    return true;
  }

  private timerLeak(timer: PendingTimer, judge: Leak['judge']): Leak {
    const native = this.native;
    return {
      check: 'pending-timer',
      trace: timer.trace,
      message: messages.pendingTimer(timer.kind, timer.delay),
      // A timer a library started on its own (React's scheduler, a polling client) is the library's business.
      onlyFromUserCode: true,
      judge,
      // A real Node timer still pending when the file ends outlives it: it fires into the next file of the worker (or
      // keeps Jest from exiting). A jsdom window's timers (numbers) die with the window.
      outlivesFile: () => !timer.reported && typeof timer.handle === 'object' && hasRef(timer.handle) && this.stillPending(timer),
      undo: () => {
        native?.[timer.kind === 'setTimeout' ? 'clearTimeout' : 'clearInterval'](timer.handle);
        this.pending.delete(timer.handle);
      },
    };
  }

  testDone(): Leak[] {
    this.inTest = false;
    const leaks: Leak[] = [];
    for (const timer of this.testTimers) {
      if (!hasRef(timer.handle)) {
        this.pending.delete(timer.handle); // unref'd: it cannot keep anything alive, and the user said so
        continue;
      }
      if (!this.stillPending(timer)) continue;
      leaks.push(
        this.timerLeak(
          timer,
          stillInPlace(() => (timer.reported = this.stillPending(timer))),
        ),
      );
    }
    this.testTimers = [];
    for (const record of this.fake) {
      if (this.fakeOn(record) && !record.onAtStart) {
        leaks.push({
          check: 'fake-timers-left',
          trace: record.trace,
          message: messages.fakeTimersLeft(record.kind),
          // Still on as the next body starts, and not because the next test's own beforeEach switched them on.
          judge: stillInPlace(() => this.fakeOn(record) && record.switchedInTest === 0),
          undo: () => record.timers.useRealTimers(),
        });
      }
    }
    return leaks;
  }
}
