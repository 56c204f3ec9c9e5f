// What a tracker hands the environment at the end of a test: one leaked thing, how to tell whether it reached the
// next test, and how to undo it.

import type { CheckName } from '../core/findings';
import type { Trace } from './trace';

/**
 * When a leak is judged: the next test starts (before its beforeEach hooks), its body starts (after them), it ends.
 * Per-file state left by the last test of a file is never judged: nothing else sees it.
 */
export type Moment = 'start' | 'body' | 'done';

/** 'reached': a later test sees it (a finding); 'gone': it no longer matters; 'wait': ask again at the next moment. */
export type Verdict = 'reached' | 'gone' | 'wait';

export interface JudgeContext {
  /** The source text of the running test's beforeEach hooks (its describe chain), read on first use. */
  beforeEachSources(): readonly string[];
  /** Whether `name` is a variable the leaking test declares in its own body or a beforeEach hook assigns anew. */
  localToLeakingTest(name: string): boolean;
  /** The source text where a trace points (a few lines), '' when unknown. */
  sourceOf(trace: Trace | undefined): SourceAt;
  /** Whether the test file's own source names `name` as a word (an identifier, a property, a string). */
  testFileNames(name: string): boolean;
}

export interface Leak {
  check: CheckName;
  /** One line naming the thing; may be computed late (it can read source text). */
  message: string | ((locate: LeakContext) => string);
  /** Where the thing was created, when known. */
  trace?: Trace;
  /** Without a trace: a pattern of the line that made it, looked for in the test file (`globalThis.x =`). */
  madeBy?: RegExp;
  /**
   * What was installed (a replaced member of a core module), when no trace saw it made: located where its code is
   * defined — in the user's code, or at the test file's import of the library that defines it.
   */
  made?: unknown;
  /** Reported only when its trace has a frame in the user's code: without one it is activity a library started by itself. */
  onlyFromUserCode?: boolean;
  /**
   * Whether the leak reaches the test that runs now. Default: it does once that test's body starts (a leak still
   * in place then is one its own beforeEach hooks did not reset). A verdict of 'wait' after 'done' carries the leak
   * on to the test after.
   */
  judge?: (moment: Moment, context: JudgeContext) => Verdict;
  /** Asked of a leak no later test confirmed, when the file ends: whether it outlives the file (worker-wide state). */
  outlivesFile?: () => boolean;
  /** Puts things back so the next test starts clean (isolate: true). */
  undo?: () => void;
}

export interface SourceAt {
  /** Source text from the location's line on (a few lines), '' when unknown. */
  source: string;
  /** The location's column on the first line (1-based), 0 when unknown. */
  column: number;
}

export interface LeakContext extends SourceAt {
  /** The source text at another trace (e.g. where a mock was created). */
  sourceOf(trace: Trace | undefined): SourceAt;
}

/** The default rule: a leak still in place when the next test's body starts. */
export function stillInPlace(inPlace: () => boolean): NonNullable<Leak['judge']> {
  return (moment) => (moment !== 'body' ? 'wait' : inPlace() ? 'reached' : 'gone');
}

/** A per-test tracker: installed once per file, told when each test starts and ends. */
export interface Tracker {
  install(): void;
  /** The test framework has loaded into the sandbox (circus's `setup`), before setupFilesAfterEnv and the test file. */
  frameworkLoaded?(): void;
  uninstall(): void;
  testStarted(): void;
  /** The test's own function has returned or thrown; its afterEach hooks are next. */
  bodyEnded?(): void;
  /** The leaks of the test that just ended (after its afterEach hooks): candidates, judged by the tests after it. */
  testDone(): Leak[];
  /** The test was skipped after it started: forget it. */
  testAbandoned(): void;
  /** The file ends: leaks of state that outlives the file (worker-wide), judged now. */
  fileEnded?(): Leak[];
}
