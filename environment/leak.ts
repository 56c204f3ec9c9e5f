// What a tracker hands the environment at the end of a test: one leaked thing, and how to undo it.

import type { CheckName } from '../core/findings';
import type { Trace } from './trace';

export interface Leak {
  check: CheckName;
  /** One line naming the thing; may be computed late (it can read source text). */
  message: string | ((locate: LeakContext) => string);
  /** Where the thing was created, when known. */
  trace?: Trace;
  /** Puts things back so the next test starts clean. */
  undo?: () => void;
}

export interface LeakContext {
  /** Source text at the leak's location (a few lines), '' when unknown. */
  source: string;
  column: number;
}

/** A per-test tracker: installed once per file, told when each test starts and ends. */
export interface Tracker {
  install(): void;
  uninstall(): void;
  testStarted(): void;
  /** The leaks of the test that just ended (after its afterEach hooks). */
  testDone(): Leak[];
  /** The test was skipped after it started: forget it. */
  testAbandoned(): void;
}
