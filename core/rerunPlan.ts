// What `flakeguard rerun` runs for a manifest (the files and the exact title paths), which entries it refuses to
// hand Jest, and how each named target ended: found (passed, failed, flaky) or not found, with the reason.
//
// A manifest is a CI artifact: data, not arguments. Only what passes here reaches Jest's command line — absolute
// paths inside rootDir (or a root Jest reports) and project names Jest itself reports — and a refused entry is
// never dropped: it is a target not found, so the rerun fails and its own manifest names it again.

import * as path from 'path';
import type { Manifest } from './manifest';
import { SELECTION_VERSION, type Selection } from './selection';

/** One thing the rerun was asked to run: a test (titles) or a whole file (titles null). */
export interface RerunTarget {
  project: string | null;
  /** As in the manifest: relative to rootDir, `/` separators (absolute for a file outside rootDir). */
  file: string;
  /** Absolute path, as Jest and the environment see it. */
  testPath: string;
  titles: string[] | null;
  /** Why the rerun does not hand it to Jest; null when it does. */
  refused: RefusedReason | null;
}

/** Why a target cannot be handed to Jest. */
export type RefusedReason = 'outside-root' | 'unknown-project';

/** What Jest says about the project (`jest --showConfig` with the user's arguments). */
export interface JestProjects {
  rootDir: string;
  /** Every project's `roots` (test files outside rootDir live under one of them). */
  roots: readonly string[];
  /** displayName of every project (null for a project without one); null when Jest could not say. */
  names: ReadonlySet<string | null> | null;
}

export interface RerunPlan {
  /** Absolute paths of the files to hand Jest, sorted; never a refused target's. */
  files: string[];
  /** The accepted targets' selection; `targets` also lists the refused ones, so the reporter keeps them. */
  selection: Selection;
  /** Every target, accepted or refused, in manifest order. */
  targets: RerunTarget[];
  /** The accepted targets' projects for `--selectProjects`; null when some target has no project (run them all). */
  projects: string[] | null;
}

const sameTitles = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

const inside = (dir: string, file: string): boolean => {
  const relative = path.relative(dir, file);
  return relative === '' ? false : !(relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative));
};

/**
 * The absolute test path of a manifest file, or null when it names nothing Jest could run here: a relative path
 * climbing out of rootDir, or an absolute one outside rootDir and outside every root Jest reports.
 */
export function resolveTestPath(file: string, jest: Pick<JestProjects, 'rootDir' | 'roots'>): string | null {
  if (file === '' || file.includes('\0')) return null;
  if (path.isAbsolute(file)) {
    const normal = path.resolve(file);
    return [jest.rootDir, ...jest.roots].some((dir) => inside(dir, normal)) ? normal : null;
  }
  const testPath = path.resolve(jest.rootDir, ...file.split('/'));
  return inside(jest.rootDir, testPath) ? testPath : null;
}

/**
 * A project name is handed to Jest only when Jest reports a project of that name, and never when it could be read
 * as an option (it is passed as `--selectProjects=NAME` anyway).
 */
function projectRefused(project: string | null, names: JestProjects['names']): boolean {
  if (project === null) return names !== null && !names.has(null);
  if (project.startsWith('-')) return true;
  return names !== null && !names.has(project);
}

/** Failed tests (and flaky ones with `flaky`) by title path; file errors and files not run as whole files. */
export function planRerun(manifest: Manifest, jest: JestProjects, options: { flaky: boolean }): RerunPlan {
  const include: Record<string, string[][] | 'all'> = {};
  const targets: RerunTarget[] = [];
  const add = (entry: { project: string | null; file: string }, titles: string[] | null): void => {
    const testPath = resolveTestPath(entry.file, jest);
    const refused: RefusedReason | null = testPath === null ? 'outside-root' : projectRefused(entry.project, jest.names) ? 'unknown-project' : null;
    // A refused file keeps a path no Jest result can carry (a NUL byte), so it never matches a real file.
    targets.push({ project: entry.project, file: entry.file, testPath: testPath ?? `${jest.rootDir}${path.sep}\0refused`, titles, refused });
    if (testPath === null || refused !== null) return;
    const current = include[testPath];
    if (titles === null) include[testPath] = 'all';
    else if (current !== 'all') {
      const list = current ?? (include[testPath] = []);
      if (!list.some((t) => sameTitles(t, titles))) list.push(titles);
    }
  };
  for (const entry of [...manifest.fileErrors, ...manifest.notRun]) add(entry, null);
  for (const test of options.flaky ? [...manifest.failed, ...manifest.flaky] : manifest.failed) add(test, test.titles);
  const accepted = targets.filter((target) => target.refused === null);
  const projects = accepted.some((t) => t.project === null) ? null : [...new Set(accepted.map((t) => t.project!))];
  const selectionTargets = targets.map(({ project, file, testPath, titles, refused }) => ({ project, file, testPath, titles, ...(refused ? { refused } : {}) }));
  return { files: Object.keys(include).sort(), selection: { schemaVersion: SELECTION_VERSION, include, targets: selectionTargets }, targets, projects };
}

/** What the rerun reported for one file (from Jest's `--json` report, or the reporter's records). */
export interface RerunFileResult {
  testPath: string;
  /** The project's displayName; undefined when the source does not say (Jest's `--json` report). */
  project?: string | null;
  /** The file failed to run: its tests are neither found nor missing. */
  failedToRun: boolean;
  tests: Array<{ titles: readonly string[]; status: string }>;
}

/** The parts of a target the search needs (a RerunTarget, or a selection's target). */
type Wanted = Pick<RerunTarget, 'project' | 'testPath' | 'titles'> & { refused?: RefusedReason | null };

/**
 * Why a target was not found: its file is gone; Jest never ran the file in the target's project (filtered out by
 * testMatch, testPathIgnorePatterns or roots, a project that no longer takes it, or refused by the rerun); or the
 * file ran and the test did not (renamed, removed, skipped).
 */
export type NotFoundReason = 'file-gone' | 'file-not-run' | 'test-missing' | RefusedReason;

export interface NotFoundTarget<T> {
  target: T;
  why: NotFoundReason;
}

export interface FoundFacts {
  fileExists(testPath: string): boolean;
  /** Files the run was handed but never reached (its own `--bail`, Ctrl-C): listed as not run, not as not found. */
  notReached?(testPath: string, project: string | null): boolean;
}

const ran = (status: string): boolean => status === 'passed' || status === 'failed';

/**
 * Targets the rerun did not find. A file can report once per project (a quarantine's `stable` and `flaky`
 * halves): where results say their project, only the target's own project counts; Jest's `--json` report does
 * not say, so there every result for the path does. A file that failed to run hides its tests (the manifest lists
 * it as a file error); a file never reached is the manifest's `notRun`. Every other target without a passed or
 * failed result is not found: a rerun never turns a failure into silence.
 */
export function targetsNotFound<T extends Wanted>(targets: readonly T[], results: readonly RerunFileResult[], facts: FoundFacts): Array<NotFoundTarget<T>> {
  const byPath = new Map<string, RerunFileResult[]>();
  for (const result of results) {
    const list = byPath.get(result.testPath);
    if (list) list.push(result);
    else byPath.set(result.testPath, [result]);
  }
  const notFound: Array<NotFoundTarget<T>> = [];
  for (const target of targets) {
    if (target.refused) {
      notFound.push({ target, why: target.refused });
      continue;
    }
    if (!facts.fileExists(target.testPath)) {
      notFound.push({ target, why: 'file-gone' });
      continue;
    }
    const candidates = (byPath.get(target.testPath) ?? []).filter((result) => result.project === undefined || result.project === target.project);
    if (candidates.length === 0) {
      if (!facts.notReached?.(target.testPath, target.project)) notFound.push({ target, why: 'file-not-run' });
      continue;
    }
    if (target.titles === null || candidates.some((result) => result.failedToRun)) continue;
    const titles = target.titles;
    if (!candidates.some((result) => result.tests.some((test) => ran(test.status) && sameTitles(test.titles, titles)))) {
      notFound.push({ target, why: 'test-missing' });
    }
  }
  return notFound;
}
