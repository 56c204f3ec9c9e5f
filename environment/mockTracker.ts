// Tracks what jest.fn / jest.spyOn / jest.replaceProperty create in a file, for the checks unrestored-spy,
// unused-mock-once and pending-mock-promise, and undoes their leaks.
//
// What reaches the next test: a spy still installed on the same object and key when its body starts, unless its own
// beforeEach hooks spied on that key again; once-values still queued on a mock it can reach (made outside the
// leaking test, or installed as a spy), or that it consumes; a pending promise that settles while a later test runs.
//
// Installs on the environment's ModuleMocker instance: the runtime binds `fn`, `spyOn` and `replaceProperty` from
// it when it builds each module's `jest` object, so instance properties set in the environment's constructor are
// what tests call. `_makeComponent` (the one place every mock function is made, automocks included),
// `_mockConfigRegistry` (the once-queues) and `_invocationCallCounter` are jest-mock internals: each is used only
// when present, and without them the checks degrade (no automocks, no undo) rather than break.

import { inspect, types } from 'util';
import type { CheckName } from '../core/findings';
import { messages, nameFromMockCreation, nameFromSpyCall, onceCallFromSource } from '../core/findingFormat';
import { type Leak, type LeakContext, type SourceAt, type Tracker } from './leak';
import { captureTrace, type Trace } from './trace';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => any;
type Mock = AnyFunction & {
  mock: { calls: unknown[][]; results: Array<{ type: string; value: unknown }>; invocationCallOrder: number[] };
  mockImplementationOnce(fn: AnyFunction): Mock;
  mockRestore(): void;
  getMockName(): string;
};
type Key = string | symbol;
type AccessType = 'get' | 'set';
interface Replaced {
  restore(): void;
}

/** The parts of jest-mock's ModuleMocker used here; the underscored ones are internals, used only when present. */
interface MockerLike {
  spyOn: AnyFunction;
  replaceProperty: AnyFunction;
  _makeComponent?: (metadata: { type?: string }, restore?: () => void) => unknown;
  _mockConfigRegistry?: WeakMap<AnyFunction, { specificMockImpls: AnyFunction[] }>;
  _invocationCallCounter?: number;
  _ensureMockState?: (mock: AnyFunction) => unknown;
}

interface SpyRecord {
  object: object;
  key: Key;
  accessType?: AccessType;
  trace: Trace;
  /** The spy (jest.spyOn) or the replacement handle (jest.replaceProperty). */
  mock?: Mock;
  replaced?: Replaced;
  original?: unknown;
}

interface OnceRecord {
  mock: Mock;
  fn: AnyFunction;
  trace: Trace;
  consumed: boolean;
  /** The mock was made by the test that queued the value (its beforeEach included): no other test holds it. */
  localMock: boolean;
}

export interface MockTrackerOptions {
  enabled: (check: CheckName) => boolean;
  /** The project restores spies itself before every test (`restoreMocks: true`). */
  restoreMocks: boolean;
  /** The project resets mocks (drops once-queues) before every test (`resetMocks: true`). */
  resetMocks: boolean;
  global: object;
  /** Note `jest.replaceProperty` calls even with the spy checks off (leaked-env asks about process.env). */
  trackReplacements?: boolean;
}

const isPendingPromise = (value: unknown): boolean => types.isPromise(value) && inspect(value, { depth: 0, customInspect: false }).includes('<pending>');

/** `object[key]` read through property descriptors up the prototype chain: a getter is never called (undefined). */
function valueOf(object: unknown, key: Key): unknown {
  if (object == null || (typeof object !== 'object' && typeof object !== 'function')) return undefined;
  try {
    for (let o: object | null = object as object; o; o = Object.getPrototypeOf(o)) {
      const descriptor = Object.getOwnPropertyDescriptor(o, key);
      if (descriptor) return 'value' in descriptor ? descriptor.value : undefined;
    }
  } catch {
    // a Proxy whose traps throw: jest-mock will say so
  }
  return undefined;
}

function describeObject(object: object, global: object): string {
  if (object === global) return 'globalThis';
  if (typeof object === 'function') return object.name || 'function';
  const name = (object as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? `${name[0].toLowerCase()}${name.slice(1)}` : 'object';
}

export class MockTracker implements Tracker {
  private readonly mocker: MockerLike;
  private readonly saved: Partial<Record<'spyOn' | 'replaceProperty' | '_makeComponent' | '_ensureMockState', unknown>> = {};
  /** Every mock function made in this file (scanned only when jest-mock's call hook is missing). */
  private readonly mocks: Mock[] = [];
  /** Mocks whose state was touched (called, or read) during the running test; null without the hook. */
  private touched: Set<Mock> | null = null;
  private readonly spies = new WeakMap<AnyFunction, SpyRecord>();
  private readonly replacements = new WeakSet<Replaced>();
  /** Where each mock was made. */
  private readonly made = new WeakMap<AnyFunction, Trace>();
  private inTest = false;
  private callCounterAtStart = -1;
  private testSpies: SpyRecord[] = [];
  private testOnces: OnceRecord[] = [];
  /** Every (object, key) the running test called jest.replaceProperty on. */
  private testReplaced: Array<{ object: object; key: Key }> = [];
  /** Every (object, key) the running test called jest.spyOn or jest.replaceProperty on, new spy or not. */
  private testSpiedKeys: Array<{ object: object; key: Key }> = [];
  /** Mocks made while the running test ran. */
  private testMade = new WeakSet<AnyFunction>();
  /** Pending promises of this test's calls when its body ended (before afterEach could clear them). */
  private pendingAtBodyEnd: Map<unknown, Mock> | null = null;
  private readonly checkSpies: boolean;
  private readonly checkOnces: boolean;
  private readonly checkPromises: boolean;

  constructor(
    mocker: object,
    private readonly options: MockTrackerOptions,
  ) {
    this.mocker = mocker as MockerLike;
    this.checkSpies = options.enabled('unrestored-spy') && !options.restoreMocks;
    this.checkOnces = options.enabled('unused-mock-once') && !options.resetMocks;
    this.checkPromises = options.enabled('pending-mock-promise');
  }

  install(): void {
    const mocker = this.mocker;
    if (this.checkOnces || this.checkPromises || this.checkSpies || this.options.trackReplacements) this.wrapSpyOn();
    if ((this.checkOnces || this.checkPromises) && typeof mocker._makeComponent === 'function') this.wrapMakeComponent();
    if (this.checkPromises && typeof mocker._ensureMockState === 'function') this.watchCalls();
  }

  /** Every mock call reads its state through `_ensureMockState`: noting which mocks a test touched is one Set.add. */
  private watchCalls(): void {
    const mocker = this.mocker;
    const original = mocker._ensureMockState as NonNullable<MockerLike['_ensureMockState']>;
    this.saved._ensureMockState = original;
    const touched = new Set<Mock>();
    this.touched = touched;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    mocker._ensureMockState = function _ensureMockState(this: unknown, mock: AnyFunction) {
      if (tracker.inTest) touched.add(mock as Mock);
      return original.call(mocker, mock);
    };
  }

  uninstall(): void {
    for (const key of Object.keys(this.saved) as Array<keyof typeof this.saved>) {
      delete (this.mocker as unknown as Record<string, unknown>)[key];
    }
  }

  private wrapSpyOn(): void {
    const mocker = this.mocker;
    const originalSpyOn = mocker.spyOn;
    const originalReplace = mocker.replaceProperty;
    if (this.checkOnces || this.checkPromises || this.checkSpies) this.saved.spyOn = originalSpyOn;
    this.saved.replaceProperty = originalReplace;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const spyOn = function spyOn(this: unknown, object: object, key: Key, accessType?: AccessType): Mock {
      if (tracker.inTest) tracker.testSpiedKeys.push({ object, key });
      const before = tracker.currentMock(object, key, accessType);
      const spy = originalSpyOn.call(mocker, object, key, accessType) as Mock;
      if (spy !== before && typeof spy === 'function') {
        const record: SpyRecord = { object, key, accessType, trace: captureTrace(spyOn), mock: spy };
        tracker.spies.set(spy, record);
        if (tracker.inTest && tracker.checkSpies) tracker.testSpies.push(record);
      }
      return spy;
    };
    const replaceProperty = function replaceProperty(this: unknown, object: object, key: Key, value: unknown): Replaced {
      const original = valueOf(object, key);
      const replaced = originalReplace.call(mocker, object, key, value) as Replaced;
      if (tracker.inTest) {
        tracker.testReplaced.push({ object, key });
        tracker.testSpiedKeys.push({ object, key });
      }
      // Replacing an already replaced property hands back the first handle: only a first replacement is new.
      if (replaced && typeof replaced === 'object' && !tracker.replacements.has(replaced)) {
        tracker.replacements.add(replaced);
        if (tracker.inTest && tracker.checkSpies) tracker.testSpies.push({ object, key, trace: captureTrace(replaceProperty), replaced, original });
      }
      return replaced;
    };
    // With every mock check off, only the replacements are wanted (for leaked-env): spyOn stays Jest's own.
    if (this.checkOnces || this.checkPromises || this.checkSpies) Object.assign(mocker, { spyOn, replaceProperty });
    else Object.assign(mocker, { replaceProperty });
  }

  private wrapMakeComponent(): void {
    const mocker = this.mocker;
    const original = mocker._makeComponent as NonNullable<MockerLike['_makeComponent']>;
    this.saved._makeComponent = original;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    mocker._makeComponent = function _makeComponent(this: unknown, metadata: { type?: string }, restore?: () => void) {
      const made = original.call(mocker, metadata, restore);
      if (metadata?.type === 'function' && typeof made === 'function') tracker.track(made as Mock, captureTrace(_makeComponent));
      return made;
    };
  }

  private track(mock: Mock, trace: Trace): void {
    this.made.set(mock, trace);
    if (this.inTest) this.testMade.add(mock);
    if (this.checkPromises && !this.touched) this.mocks.push(mock);
    if (!this.checkOnces) return;
    const queue = mock.mockImplementationOnce;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    mock.mockImplementationOnce = function mockImplementationOnce(impl: AnyFunction): Mock {
      // Queued outside a test (module level, beforeAll): the file's business, not a test's.
      if (!tracker.inTest || typeof impl !== 'function') return queue(impl);
      const fn = function (this: unknown, ...args: unknown[]): unknown {
        record.consumed = true;
        return impl.apply(this, args);
      };
      const record: OnceRecord = { mock, fn, trace: captureTrace(mockImplementationOnce), consumed: false, localMock: tracker.testMade.has(mock) };
      tracker.testOnces.push(record);
      return queue(fn);
    };
  }

  private currentMock(object: object, key: Key, accessType?: AccessType): unknown {
    try {
      if (!accessType) return (object as Record<Key, unknown>)[key];
      for (let o: object | null = object; o; o = Object.getPrototypeOf(o)) {
        const descriptor = Object.getOwnPropertyDescriptor(o, key);
        if (descriptor) return descriptor[accessType];
      }
    } catch {
      // a throwing getter: jest-mock will say so
    }
    return undefined;
  }

  /** Where a mock (a spy or a jest.fn()) now installed somewhere was made, when it is one of this file's. */
  whereMade(value: unknown): Trace | undefined {
    if (typeof value !== 'function') return undefined;
    return this.spies.get(value as AnyFunction)?.trace ?? this.made.get(value as AnyFunction);
  }

  /**
   * Whether the test that just ended (or is running) replaced `object[key]` with jest.replaceProperty and that
   * replacement is already someone's business: Jest restores it (restoreMocks), or unrestored-spy reports it.
   */
  replacementCovered(object: object, key: Key): boolean {
    if (!this.options.restoreMocks && !this.options.enabled('unrestored-spy')) return false;
    return this.testReplaced.some((entry) => entry.object === object && entry.key === key);
  }

  testStarted(): void {
    this.inTest = true;
    this.testReplaced = [];
    this.testSpiedKeys = [];
    this.testMade = new WeakSet();
    this.testSpies = [];
    this.testOnces = [];
    this.callCounterAtStart = typeof this.mocker._invocationCallCounter === 'number' ? this.mocker._invocationCallCounter : -1;
    this.touched?.clear();
    this.pendingAtBodyEnd = null;
  }

  testAbandoned(): void {
    this.inTest = false;
    this.testSpies = [];
    this.testOnces = [];
  }

  testDone(): Leak[] {
    this.inTest = false;
    const leaks: Leak[] = [];
    if (this.checkSpies) this.unrestoredSpies(leaks);
    if (this.checkOnces) this.unusedOnces(leaks);
    if (this.checkPromises) this.pendingPromises(leaks);
    this.testSpies = [];
    this.testOnces = [];
    this.touched?.clear();
    return leaks;
  }

  private unrestoredSpies(leaks: Leak[]): void {
    for (const record of this.testSpies) {
      const { object, key, accessType, mock, replaced } = record;
      if (!this.installed(record)) continue;
      let callsAtBody = 0;
      leaks.push({
        check: 'unrestored-spy',
        trace: record.trace,
        message: (at) => messages.unrestoredSpy(this.spyName(record, at) + (accessType ? ` (${accessType}ter)` : ''), !!replaced),
        judge: (moment, context) => {
          if (moment === 'start') return 'wait';
          // On an object only the leaking test held (`const parser = new Parser()` in its body): reached only if called.
          if (moment === 'done') return (mock?.mock.calls.length ?? 0) > callsAtBody ? 'reached' : 'gone';
          // The next test's beforeEach spying on the same key again (jest.spyOn hands back the installed spy) makes it its own.
          if (!this.installed(record) || this.testSpiedKeys.some((entry) => entry.object === object && entry.key === key)) return 'gone';
          const receiver = /^([A-Za-z_$][\w$]*)\.[^.]+$/.exec(nameFromSpyCall(context.sourceOf(record.trace).source, context.sourceOf(record.trace).column) ?? '')?.[1];
          if (!replaced && mock && receiver && context.localToLeakingTest(receiver)) {
            callsAtBody = mock.mock.calls.length;
            return 'wait';
          }
          return 'reached';
        },
        undo: () => (replaced ? replaced.restore() : mock?.mockRestore()),
      });
    }
  }

  /** Whether the spy (or replacement) is still what `object[key]` holds. */
  private installed(record: SpyRecord): boolean {
    const { object, key, accessType, mock, replaced } = record;
    try {
      if (replaced) return valueOf(object, key) !== record.original;
      if (accessType) return Object.getOwnPropertyDescriptor(object, key)?.[accessType] === mock;
      return valueOf(object, key) === mock;
    } catch {
      return false;
    }
  }

  private spyName(record: SpyRecord, at: SourceAt): string {
    return nameFromSpyCall(at.source, at.column) ?? `${describeObject(record.object, this.options.global)}.${String(record.key)}`;
  }

  /** A readable name for a mock: the spied method, its mockName, or the variable it was assigned to where it was made. */
  private mockName(mock: Mock, context: LeakContext): string {
    const spy = this.spies.get(mock);
    if (spy) return this.spyName(spy, context.sourceOf(spy.trace));
    const given = mock.getMockName?.();
    if (given && given !== 'jest.fn()') return given;
    const made = context.sourceOf(this.made.get(mock));
    return nameFromMockCreation(made.source, made.column) ?? 'jest.fn()';
  }

  private unusedOnces(leaks: Leak[]): void {
    const registry = this.mocker._mockConfigRegistry instanceof WeakMap ? this.mocker._mockConfigRegistry : undefined;
    // mockReset() drops the mock's config (and its queue) from the registry.
    const queued = (record: OnceRecord): boolean => (registry ? !!registry.get(record.mock)?.specificMockImpls.includes(record.fn) : !record.consumed);
    for (const record of this.testOnces) {
      const queue = registry?.get(record.mock)?.specificMockImpls;
      if (!queued(record)) continue;
      const spy = this.spies.get(record.mock);
      leaks.push({
        judge: (moment) => {
          if (moment === 'start') return 'wait';
          if (moment === 'done') return record.consumed ? 'reached' : 'gone';
          if (!queued(record)) return 'gone';
          // A mock the next test can reach: made outside the leaking test, or installed on an object as a spy.
          if (!record.localMock || (spy && this.installed(spy))) return 'reached';
          return 'wait'; // a mock of the test's own: reached only if the next test consumes the value after all
        },
        check: 'unused-mock-once',
        trace: record.trace,
        message: (at) => {
          const call = onceCallFromSource(at.source, at.column);
          const name = call?.receiver ?? this.mockName(record.mock, at);
          return messages.unusedMockOnce(name, call?.method ?? 'mockImplementationOnce');
        },
        undo: queue
          ? () => {
              const index = queue.indexOf(record.fn);
              if (index >= 0) queue.splice(index, 1);
            }
          : undefined,
      });
    }
  }

  /**
   * The body has ended; afterEach hooks are next, and `jest.clearAllMocks()` / `resetAllMocks()` there replace every
   * mock's state (results included). The promises this test's calls returned are collected now, judged at test end.
   */
  bodyEnded(): void {
    if (this.checkPromises) this.pendingAtBodyEnd = this.collectPending(new Map());
  }

  /** Still-pending promises returned by this test's calls, each with the mock that returned it. */
  private collectPending(into: Map<unknown, Mock>): Map<unknown, Mock> {
    const start = this.callCounterAtStart;
    // Without jest-mock's call counter there is no telling this test's calls from earlier ones.
    if (start < 0 || this.mocker._invocationCallCounter === start) return into;
    for (const mock of this.touched ?? this.mocks) {
      const state = mock.mock;
      const orders = state.invocationCallOrder;
      for (let i = orders.length - 1; i >= 0 && orders[i] >= start; i--) {
        const result = state.results[i];
        if (result?.type === 'return' && !into.has(result.value) && isPendingPromise(result.value)) into.set(result.value, mock);
      }
    }
    return into;
  }

  private pendingPromises(leaks: Leak[]): void {
    const found = this.collectPending(this.pendingAtBodyEnd ?? new Map());
    this.pendingAtBodyEnd = null;
    for (const [promise, mock] of found) {
      if (!isPendingPromise(promise)) continue; // settled during afterEach
      const creation = this.spies.get(mock)?.trace ?? this.made.get(mock);
      leaks.push({
        check: 'pending-mock-promise',
        trace: creation,
        // Its continuation runs inside a later test when it settles while one runs (its beforeEach included).
        judge: (moment) => (isPendingPromise(promise) ? 'wait' : moment === 'start' ? 'gone' : 'reached'),
        // A mock a library made for itself (a fetch mock set up inside node_modules) is the library's.
        onlyFromUserCode: true,
        message: (at) => messages.pendingMockPromise(this.mockName(mock, at)),
      });
    }
  }
}
