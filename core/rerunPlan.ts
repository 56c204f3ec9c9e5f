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
  return { files: Object.keys(include).sort(), selection: { schemaVersion: 1, include }, targets };
}

/** What the rerun reported for one file (from Jest's `--json` report). */
export interface RerunFileResult {
  testPath: string;
  /** The file failed to run: its tests are neither found nor missing. */
  failedToRun: boolean;
  tests: Array<{ titles: string[]; status: string }>;
}

/**
 * Targets the rerun did not find: a named test that neither passed nor failed in a file that ran (renamed,
 * removed, or now skipped), or a file that is not there. Files the rerun never reached (its own `--bail`) are
 * not "not found": the rerun's manifest lists them as not run.
 */
export function targetsNotFound(targets: readonly RerunTarget[], results: readonly RerunFileResult[], fileExists: (testPath: string) => boolean): RerunTarget[] {
  const byPath = new Map(results.map((result) => [result.testPath, result]));
  return targets.filter((target) => {
    if (!fileExists(target.testPath)) return true;
    const result = byPath.get(target.testPath);
    if (!result || result.failedToRun || target.titles === null) return false;
    const titles = target.titles;
    return !result.tests.some((test) => (test.status === 'passed' || test.status === 'failed') && sameTitles(test.titles, titles));
  });
}
