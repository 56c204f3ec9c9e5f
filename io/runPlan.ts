// The test files a run was handed, published by the runner for the reporter (same process, no file needed).
//
// Jest tells reporters which files started and finished, never which were planned: with `--bail` or Ctrl-C
// the rest are simply missing. The runner publishes every file it was given; the reporter's `notRun` is
// the planned files that never reported a result.

const KEY = Symbol.for('jest-flakeguard.plannedTests');

export interface PlannedTest {
  path: string;
  /** The project's displayName, or null. */
  project: string | null;
}

type Store = { [KEY]?: Map<string, PlannedTest> };

export function publishPlannedTests(tests: readonly PlannedTest[]): void {
  const store = globalThis as Store;
  const planned = (store[KEY] ??= new Map());
  for (const test of tests) planned.set(`${test.project ?? ''}\0${test.path}`, test);
}

/** Every file any flakeguard runner in this process was handed, or undefined when none ran. */
export function plannedTests(): PlannedTest[] | undefined {
  const planned = (globalThis as Store)[KEY];
  return planned ? [...planned.values()] : undefined;
}

/** Forgets earlier runs' files: the reporter calls it when a run starts (watch mode runs many in one process). */
export function resetPlannedTests(): void {
  (globalThis as Store)[KEY]?.clear();
}
