// The planned-tests channel: the test files a run was handed, published by the runner for the reporter (same process,
// a registry on the global object: no file needed). This module alone knows the registry's symbol and shape.
//
// Jest tells reporters which files started and finished, never which were planned: with `--bail` or Ctrl-C the rest
// are simply missing. The runner publishes every file it was given; the reporter's `notRun` is the planned files that
// never reported a result. `Symbol.for` is shared by every copy of jest-flakeguard loaded in the process (a runner and
// a reporter resolved from two installs): the registry carries its version, and a foreign one is refused, not misread.

import { FlakeguardError } from '../core/errors';

export const PLANNED_TESTS_VERSION = 1;

const CHANNEL = 'planned-tests channel';
const KEY = Symbol.for('jest-flakeguard.plannedTests');

export interface PlannedTest {
  path: string;
  /** The project's displayName, or null. */
  project: string | null;
}

/** What the global holds: project (displayName or null) → test path → the planned test. */
export interface PlannedTestsRegistry {
  version: typeof PLANNED_TESTS_VERSION;
  projects: Map<string | null, Map<string, PlannedTest>>;
}

type Store = { [KEY]?: unknown };

const fail = (problem: string): never => {
  throw new FlakeguardError('BAD_CHANNEL', `${CHANNEL}: ${problem}`);
};

/**
 * The one validator: the registry `value` (what the global holds) as a typed registry, undefined when none was
 * published, or a FlakeguardError naming the channel and what is wrong.
 */
export function decodePlannedTests(value: unknown): PlannedTestsRegistry | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return fail(`the registry must be an object, not ${value === null ? 'null' : typeof value}`);
  const { version, projects } = value as Partial<PlannedTestsRegistry>;
  if (version !== PLANNED_TESTS_VERSION)
    return fail(`version ${JSON.stringify(version)} is not this jest-flakeguard's (${PLANNED_TESTS_VERSION}): two versions of jest-flakeguard run in one Jest`);
  if (!(projects instanceof Map)) return fail('"projects" must be a Map');
  for (const [project, tests] of projects) {
    if (project !== null && typeof project !== 'string') return fail(`project ${String(project)} must be a name or null`);
    if (!(tests instanceof Map)) return fail(`the tests of project ${JSON.stringify(project)} must be a Map`);
    for (const [path, test] of tests) {
      const ok = typeof path === 'string' && typeof test === 'object' && test !== null && (test as PlannedTest).path === path && (test as PlannedTest).project === project;
      if (!ok) return fail(`the entry ${JSON.stringify(String(path))} of project ${JSON.stringify(project)} must be {path, project} matching its keys`);
    }
  }
  return value as PlannedTestsRegistry;
}

const registry = (): PlannedTestsRegistry | undefined => decodePlannedTests((globalThis as Store)[KEY]);

/** Adds `tests` to the registry (created at the first call); a file published twice for one project is one entry. */
export function publishPlannedTests(tests: readonly PlannedTest[]): void {
  const store = globalThis as Store;
  const planned = registry() ?? (store[KEY] = { version: PLANNED_TESTS_VERSION, projects: new Map() } satisfies PlannedTestsRegistry);
  for (const test of tests) {
    let files = planned.projects.get(test.project);
    if (!files) planned.projects.set(test.project, (files = new Map()));
    files.set(test.path, { path: test.path, project: test.project });
  }
}

/** Every file any flakeguard runner in this process was handed, or undefined when none ran. */
export function plannedTests(): PlannedTest[] | undefined {
  const planned = registry();
  return planned && [...planned.projects.values()].flatMap((files) => [...files.values()]);
}

/** Forgets earlier runs' files: the reporter calls it when a run starts (watch mode runs many in one process). */
export function resetPlannedTests(): void {
  registry()?.projects.clear();
}
