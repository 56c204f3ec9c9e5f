// Tracks what a test leaves in the sandbox's process.env (leaked-env) and on its global object (leaked-global),
// and puts both back.
//
// What reaches the next test: an env key still holding what the test left (value, or absence) when the next
// test's body starts, unless that test's own beforeEach hooks wrote it again; a process.env the test replaced still in
// place then; a global still holding the value the test left, unless the next test's beforeEach hooks set it.
// process.env and the global are the file's own (Jest builds both per file): what the last test leaves reaches no one.
//
// Both are compared between test start and test end. The start state is reused from the previous test's end
// when nothing ran in between (no beforeAll/afterAll), which halves the cost on the hot path. process.env (already
// a Proxy Jest builds per file) is wrapped in one more Proxy that only notes writes, so the env of a test that
// wrote nothing is not diffed at all.

import type { CheckName } from '../core/findings';
import { addedKeys, diffEnv, restoreEnv, snapshotEnv, type EnvSnapshot } from '../core/envDiff';
import { messages } from '../core/findingFormat';
import { stillInPlace, type Leak, type Tracker } from './leak';
import { captureTrace, type Trace } from './trace';

// Globals a tool adds on its own while a test runs (istanbul's coverage counters).
const IGNORED_GLOBALS = new Set<PropertyKey>(['__coverage__']);
// Jest keeps its own state on the global under symbols (`jest.setTimeout` or `jest.retryTimes` called inside a test
// set one): Symbol.for('RETRY_TIMES'), Symbol.for('TEST_TIMEOUT_SYMBOL'), Symbol.for('jest-…'), circus's state symbol.
const JEST_SYMBOL =
  /^(?:\$\$)?jest|^(?:RETRY_TIMES|RETRY_TIMES_SETTER|RETRY_IMMEDIATELY|WAIT_BEFORE_RETRY|LOG_ERRORS_BEFORE_RETRY|TEST_TIMEOUT_SYMBOL|EVENT_HANDLERS|JEST_STATE_SYMBOL)$/;
/** Sets a probe symbol on the global and looks for it on the object behind it. */
function symbolsShowThrough(global: Record<PropertyKey, unknown>, keyHolder: object): boolean {
  const probe = Symbol('flakeguard-probe');
  global[probe] = true;
  try {
    return Object.getOwnPropertySymbols(keyHolder).includes(probe);
  } finally {
    delete global[probe];
  }
}

const isJestSymbol = (key: PropertyKey): boolean => typeof key === 'symbol' && JEST_SYMBOL.test(key.description ?? '');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `globalThis.name =`, `global['name'] =`, `window.name =`: the line that most likely added a global. */
function assignmentTo(key: PropertyKey): RegExp | undefined {
  if (typeof key !== 'string') return undefined;
  const name = escapeRegExp(key);
  // `(global as any).name =` is how TypeScript tests write it.
  const owner = String.raw`(?:\b(?:globalThis|global|window|self)|\(\s*(?:globalThis|global|window|self)\s+as\s[^)]*\))`;
  return new RegExp(String.raw`${owner}\s*(?:\.\s*${name}\b|\[\s*['"\x60]${name}['"\x60]\s*\])\s*=(?![=>])`);
}

const INDEX = /^(?:0|[1-9]\d*)$/;
/**
 * A property the DOM implementation defines on the window itself: jsdom's window indices (`window[0]` for an appended
 * iframe) and named properties (`window.x` for `<p id="x">`) are accessors that follow the document. They are the
 * document's state, not a global a test added, and deleting them breaks jsdom.
 */
function isDomOwned(global: object, key: PropertyKey): boolean {
  let descriptor: PropertyDescriptor | undefined;
  try {
    descriptor = Object.getOwnPropertyDescriptor(global, key);
  } catch {
    return false;
  }
  if (!descriptor || typeof descriptor.get !== 'function') return false;
  if (typeof key === 'string' && INDEX.test(key)) return true;
  return Object.getOwnPropertySymbols(descriptor.get).some((symbol) => symbol.description === 'is named property');
}

export interface SandboxStateOptions {
  enabled: (check: CheckName) => boolean;
  global: object;
  /**
   * The object behind the sandbox's global (the environment's vm context), where properties a test adds to the
   * global land. Listing its keys is a plain object walk; listing the vm global's keys goes through the context's
   * interceptors and costs ~100× more per test.
   */
  keyHolder?: object | null;
  /** Whether the test replaced `object[key]` with jest.replaceProperty and that is reported or restored elsewhere. */
  replacementCovered?: (object: object, key: string) => boolean;
}

export class SandboxState implements Tracker {
  private readonly global: Record<PropertyKey, unknown> & { process?: { env?: Record<string, unknown> } };
  private readonly keyHolder: object;
  private readonly process: { env?: Record<string, unknown> } | undefined;
  private readonly replacementCovered: SandboxStateOptions['replacementCovered'];
  /** The global's own names when the file started: a builtin (Date, Intl) assigned by a test lands on the key holder but was not added. */
  private builtins: Set<PropertyKey> | undefined;
  private readonly checkEnv: boolean;
  private readonly checkGlobals: boolean;
  private env: EnvSnapshot | undefined;
  private keys: PropertyKey[] | undefined;
  private stale = true;
  private envWritten = true;
  private originalEnv: Record<string, unknown> | undefined;
  /** process.env objects at the test's start and when its body started (after beforeEach). */
  private envAtStart: Record<string, unknown> | undefined;
  private envAtBody: Record<string, unknown> | undefined;
  private watchedEnv: Record<string, unknown> | undefined;
  private inTest = false;
  /** Where the running test last wrote each env key (captured only on a write). */
  private envWrites: Map<string | symbol, Trace> | null = null;
  /** Whether a symbol set on the global shows on the key holder (Jest 30's context does; Jest 29's does not). */
  private symbolsOnKeyHolder = true;

  constructor(options: SandboxStateOptions) {
    this.global = options.global as SandboxState['global'];
    this.keyHolder = options.keyHolder ?? options.global;
    this.process = this.global.process;
    this.replacementCovered = options.replacementCovered;
    this.checkEnv = options.enabled('leaked-env');
    this.checkGlobals = options.enabled('leaked-global');
  }

  install(): void {
    if (this.checkGlobals && this.keyHolder !== this.global) {
      this.builtins = new Set(Reflect.ownKeys(this.global));
      this.symbolsOnKeyHolder = symbolsShowThrough(this.global, this.keyHolder);
    }
    const process = this.process;
    const env = this.currentEnv();
    if (!this.checkEnv || !process || !env) return;
    const written = (key: string | symbol, trap: (...args: never[]) => unknown): void => {
      this.envWritten = true;
      if (!this.inTest) return;
      const writes = (this.envWrites ??= new Map());
      writes.set(key, captureTrace(trap)); // the last write: what the test left, not a hook's reset before it
    };
    const watched = new Proxy(env, {
      set: function set(target, key, value) {
        written(key, set);
        return Reflect.set(target, key, value);
      },
      deleteProperty: function deleteProperty(target, key) {
        written(key, deleteProperty);
        return Reflect.deleteProperty(target, key);
      },
      defineProperty: function defineProperty(target, key, descriptor) {
        written(key, defineProperty);
        return Reflect.defineProperty(target, key, descriptor);
      },
    });
    try {
      process.env = watched;
    } catch {
      return; // a read-only env: diff it every time
    }
    if (process.env === watched) {
      this.originalEnv = env;
      this.watchedEnv = watched;
    }
  }

  uninstall(): void {
    const process = this.process;
    if (process && this.watchedEnv && process.env === this.watchedEnv) process.env = this.originalEnv;
  }

  /** Something ran outside a test (a beforeAll or afterAll hook): the last known state is out of date. */
  outsideTest(): void {
    this.stale = true;
  }

  private currentEnv(): Record<string, unknown> | undefined {
    // Reading `process` off the vm global goes through the context's interceptors; Jest's process object does not.
    const env = this.process?.env;
    return env && typeof env === 'object' ? env : undefined;
  }

  /** The process.env object now (for afterUndo). */
  envObject(): Record<string, unknown> | undefined {
    return this.checkEnv ? this.currentEnv() : undefined;
  }

  /**
   * Leaks of an earlier test were undone as this test's body starts (isolate: true). An undo that swapped the
   * process.env object (a replacement put back) leaves this test's baseline on the object now, as it is now.
   */
  afterUndo(envBefore: Record<string, unknown> | undefined): void {
    const env = this.envObject();
    if (!env || env === envBefore) return;
    this.envAtStart = env;
    this.env = snapshotEnv(env);
  }

  /** The test's body starts: its beforeEach hooks have run. */
  bodyStarted(): void {
    if (this.checkEnv) this.envAtBody = this.currentEnv();
  }

  testStarted(): void {
    this.inTest = true;
    if (this.checkEnv) {
      this.envWrites = null;
      this.envAtStart = this.currentEnv();
      this.envAtBody = undefined;
    }
    this.refresh();
  }

  /** Takes the snapshot a test's end is compared with, unless the last one is still true. */
  private refresh(): void {
    if (!this.stale) return;
    this.stale = false;
    const env = this.checkEnv ? this.currentEnv() : undefined;
    this.env = env ? snapshotEnv(env) : undefined;
    this.envWritten = false;
    this.keys = this.checkGlobals ? this.globalKeys() : undefined;
  }

  /**
   * The global's own keys. Names come from the vm context behind the global (cheaper to list); symbols from the
   * global itself when the context object does not show them (Jest 29's): listing the global costs 2× more.
   */
  private globalKeys(): Array<string | symbol> {
    if (this.symbolsOnKeyHolder) return Reflect.ownKeys(this.keyHolder);
    const keys: Array<string | symbol> = Object.getOwnPropertyNames(this.keyHolder);
    for (const symbol of Object.getOwnPropertySymbols(this.global)) keys.push(symbol);
    return keys;
  }

  testAbandoned(): void {
    this.inTest = false;
  }

  private envLeaks(leaks: Leak[]): void {
    const env = this.currentEnv();
    const start = this.envAtStart;
    const before = this.env;
    if (env !== start) {
      this.stale = true;
      // Jest's documented pattern, `beforeEach(() => { process.env = { ...OLD_ENV }; })`: each test gets a fresh
      // object from the file's own hook, so what a test writes into its copy cannot reach the next test.
      if (env === this.envAtBody) return;
      // Replaced wholesale (`process.env = {...}`): one leak, the replacement; undone by putting the object back.
      // Not when jest.replaceProperty did it and Jest restores it or unrestored-spy reports it.
      const process = this.process;
      if (start && process && !this.replacementCovered?.(process, 'env')) {
        const replacement = env;
        leaks.push({
          check: 'leaked-env',
          message: messages.envReplaced(),
          madeBy: /\bprocess\.env\s*=(?!=)/,
          judge: stillInPlace(() => this.currentEnv() === replacement),
          undo: () => {
            process.env = start;
          },
        });
      }
    }
    // Keys written into the object the test started with (before any replacement) are leaks of their own.
    const target = start ?? env;
    // Unchanged unless written through our watch (or not watched at all).
    const mayDiffer = this.envWritten || !this.watchedEnv || target !== this.watchedEnv;
    if (!before || !target || !mayDiffer) return;
    const changes = diffEnv(before, target);
    for (const change of changes) {
      const { key } = change;
      const left = change.kind === 'removed' ? undefined : target[key];
      leaks.push({
        check: 'leaked-env',
        message: messages.leakedEnv(key, change.kind),
        trace: target === this.watchedEnv ? this.envWrites?.get(key) : undefined,
        judge: stillInPlace(() => {
          const now = this.currentEnv();
          if (!now || this.envWrites?.has(key)) return false; // the next test's beforeEach wrote it again
          return change.kind === 'removed' ? !Object.prototype.hasOwnProperty.call(now, key) : now[key] === left;
        }),
        // Put back through the unwatched object: an undo is not the next test's write.
        undo: () => {
          restoreEnv(before, target === this.watchedEnv && this.originalEnv ? this.originalEnv : target, [change]);
          // It runs as the next test's body starts: that test's snapshot is put back with it (not its change either).
          if (this.env) restoreEnv(before, this.env, [change]);
        },
      });
    }
    // What the next test starts from: the snapshot again once undone; re-read lazily if not undone.
    if (changes.length > 0) this.stale = true;
    else this.envWritten = false;
  }

  private hasOwn(key: PropertyKey): boolean {
    return Object.prototype.hasOwnProperty.call(this.global, key);
  }

  /** The global's own data value at `key` (a getter is never called). */
  private ownValue(key: PropertyKey): unknown {
    try {
      const descriptor = Object.getOwnPropertyDescriptor(this.global, key);
      return descriptor && 'value' in descriptor ? descriptor.value : descriptor?.get;
    } catch {
      return undefined;
    }
  }

  testDone(): Leak[] {
    this.inTest = false;
    const leaks: Leak[] = [];
    if (this.checkEnv) this.envLeaks(leaks);
    if (this.keys) {
      const added = addedKeys(this.keys, this.globalKeys()).filter(
        (key) => !IGNORED_GLOBALS.has(key) && !this.builtins?.has(key) && !isJestSymbol(key) && !isDomOwned(this.global, key),
      );
      for (const key of added) {
        const left = this.ownValue(key);
        // Put back to the `undefined` a test saved from a global that did not exist (`global.Worker = saved`):
        // whoever reads it next gets what an absent global gives.
        if (left === undefined) continue;
        leaks.push({
          check: 'leaked-global',
          message: messages.leakedGlobal(key),
          madeBy: assignmentTo(key),
          judge: (moment, context) => {
            if (moment !== 'body') return 'wait';
            if (!Object.is(this.ownValue(key), left) || !this.hasOwn(key)) return 'gone';
            const name = typeof key === 'symbol' ? (key.description ?? '') : String(key);
            // Set again by the next test's own beforeEach (the same value each time): that test's, not a leak.
            if (name && context.beforeEachSources().some((source) => source.includes(name))) return 'gone';
            // A global the test file never names is state the code it calls keeps for itself, as it would in a
            // module variable (a library's registry: @amplitude/analytics-connector's analyticsConnectorInstances).
            return name && !context.testFileNames(name) ? 'gone' : 'reached';
          },
          undo: () => {
            delete this.global[key];
            if (this.keys) this.keys = this.keys.filter((known) => known !== key);
          },
        });
      }
      if (added.length > 0) this.stale = true;
    }
    return leaks;
  }
}
