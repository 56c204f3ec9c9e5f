// What `flakeguard rerun` runs for a manifest (the files and the exact title paths), and which of the named
// tests the rerun never found.

import * as path from 'path';
import type { Manifest } from './manifest';
import type { Selection } from './selection';

/** One thing the rerun was asked to run: a test (titles) or a whole file (titles null). */
export interface RerunTarget {
  project: string | null;
  /** As in the manifest: relative to rootDir, `/` separators. */
  file: string;
  /** Absolute path, as Jest and the environment see it. */
  testPath: string;
  titles: string[] | null;
}

export interface RerunPlan {
  /** Absolute paths of the files to hand Jest, sorted. */
  files: string[];
  selection: Selection;
  targets: RerunTarget[];
}

const sameTitles = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/** Failed tests (and flaky ones with `flaky`) by title path; file errors and files not run as whole files. */
export function planRerun(manifest: Manifest, rootDir: string, options: { flaky: boolean }): RerunPlan {
  const include: Record<string, string[][] | 'all'> = {};
  const targets: RerunTarget[] = [];
  // Files outside rootDir are kept absolute by the reporter.
  const testPathOf = (file: string): string => (path.isAbsolute(file) ? file : path.resolve(rootDir, ...file.split('/')));
  for (const entry of [...manifest.fileErrors, ...manifest.notRun]) {
    const testPath = testPathOf(entry.file);
    include[testPath] = 'all';
    targets.push({ project: entry.project, file: entry.file, testPath, titles: null });
  }
  const tests = options.flaky ? [...manifest.failed, ...manifest.flaky] : manifest.failed;
  for (const test of tests) {
    const testPath = testPathOf(test.file);
    const current = include[testPath];
    targets.push({ project: test.project, file: test.file, testPath, titles: test.titles });
    if (current === 'all') continue;
    const list = current ?? (include[testPath] = []);
    if (!list.some((titles) => sameTitles(titles, test.titles))) list.push(test.titles);
  }
  const selectionTargets = targets.map(({ project, testPath, titles }) => ({ project, testPath, titles }));
  return { files: Object.keys(include).sort(), selection: { schemaVersion: 1, include, targets: selectionTargets }, targets };
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
type Wanted = Pick<RerunTarget, 'project' | 'testPath' | 'titles'>;

const ran = (status: string): boolean => status === 'passed' || status === 'failed';

/**
 * Targets the rerun did not find: a named test that neither passed nor failed in any result for its file (renamed,
 * removed, or now skipped), or a file that is not there. A file can report once per project (a quarantine's
 * `stable` and `flaky` halves): the results of the target's own project decide when there are any, otherwise
 * every result for the path does. Files the rerun never reached (its own `--bail`) and files that failed to run
 * are not "not found": the rerun's manifest lists them as not run or as file errors.
 */
export function targetsNotFound<T extends Wanted>(targets: readonly T[], results: readonly RerunFileResult[], fileExists: (testPath: string) => boolean): T[] {
  const byPath = new Map<string, RerunFileResult[]>();
  for (const result of results) {
    const list = byPath.get(result.testPath);
    if (list) list.push(result);
    else byPath.set(result.testPath, [result]);
  }
  return targets.filter((target) => {
    if (!fileExists(target.testPath)) return true;
    const all = byPath.get(target.testPath);
    if (!all || target.titles === null) return false;
    const own = all.filter((result) => result.project === target.project);
    const candidates = own.length > 0 ? own : all;
    const titles = target.titles;
    if (candidates.some((result) => result.tests.some((test) => ran(test.status) && sameTitles(test.titles, titles)))) return false;
    return !candidates.some((result) => result.failedToRun);
  });
}
