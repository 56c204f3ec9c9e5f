// What a tracker hands the environment at the end of a test: one leaked thing, and how to undo it.

import type { CheckName } from '../core/findings';
import type { Trace } from './trace';

export interface Leak {
  check: CheckName;
  /** One line naming the thing; may be computed late (it can read source text). */
  message: string | ((locate: LeakContext) => string);
  /** Where the thing was created, when known. */
  trace?: Trace;
  /** Reported only when its trace has a frame in the user's code: without one it is activity a library started by itself. */
  onlyFromUserCode?: boolean;
  /** Puts things back so the next test starts clean. */
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

/** A per-test tracker: installed once per file, told when each test starts and ends. */
export interface Tracker {
  install(): void;
  /** The test framework has loaded into the sandbox (circus's `setup`), before setupFilesAfterEnv and the test file. */
  frameworkLoaded?(): void;
  uninstall(): void;
  testStarted(): void;
  /** The test's own function has returned or thrown; its afterEach hooks are next. */
  bodyEnded?(): void;
  /** The leaks of the test that just ended (after its afterEach hooks). */
  testDone(): Leak[];
  /** The test was skipped after it started: forget it. */
  testAbandoned(): void;
}
