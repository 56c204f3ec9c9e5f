// Under `flakeguard rerun`: the selection this run reads (io/selectionFile), and what it named that the run did not
// find — recorded in the manifest, and an error that fails the run.

import * as fs from 'fs';
import * as path from 'path';
import { oneLine } from '../core/errors';
import type { ManifestNotRun } from '../core/manifest';
import { targetsNotFound } from '../core/rerunPlan';
import type { FileRecord, NotFoundRecord } from '../core/runRecord';
import type { Selection } from '../core/selection';
import { receivedSelection } from '../io/selectionFile';
import { relativeFile } from './collect';
import { warn } from './warnings';

/** The selection `flakeguard rerun` named in the environment, or null; one that cannot be read is a warning. */
export function loadSelection(env: NodeJS.ProcessEnv = process.env): Selection | null {
  try {
    return receivedSelection(env);
  } catch (error) {
    warn(oneLine(error));
    return null;
  }
}

/**
 * The tests and files the selection named that this run did not find, in the target's own project. A file the
 * runner was handed and never reached is `notRun`; every other miss is not found.
 */
export function notFound(rootDir: string, selection: Selection | null, files: readonly FileRecord[], notRun: readonly ManifestNotRun[]): NotFoundRecord[] {
  const targets = selection?.targets;
  if (!targets || targets.length === 0) return [];
  const results = files.map((file) => ({
    testPath: path.resolve(rootDir, file.file),
    project: file.project,
    failedToRun: file.error !== null && file.tests.length === 0,
    tests: file.tests,
  }));
  const unreached = new Set(notRun.map((entry) => JSON.stringify([entry.project, path.resolve(rootDir, entry.file)])));
  const found = targetsNotFound(targets, results, {
    fileExists: fs.existsSync,
    notReached: (testPath, project) => unreached.has(JSON.stringify([project, testPath])),
  });
  return found.map(({ target, why }) => ({
    project: target.project,
    file: target.file ?? relativeFile(rootDir, target.testPath),
    titles: target.titles,
    why,
  }));
}

/** What Jest's getLastError gets when targets were not found: a rerun target not found is never a pass. */
export function notFoundError(missed: number): Error | undefined {
  return missed > 0 ? new Error(`jest-flakeguard: ${missed} test(s) or file(s) flakeguard rerun named were not found in their project`) : undefined;
}
