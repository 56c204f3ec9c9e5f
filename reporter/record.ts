// This run's record (core/runRecord) at a moment — a checkpoint's or the final one: what the collector holds, sorted,
// with the files the runner planned and never reported, and the rerun's targets it did not find.

import type { Config } from '@jest/types';
import type { Invocation } from '../core/invocation';
import type { Selection } from '../core/selection';
import type { RunRecord } from '../core/runRecord';
import { oneLine } from '../core/errors';
import { plannedTests, type PlannedTest } from '../io/plannedTests';
import type { RunCollector } from './collect';
import { notFound } from './rerunTargets';
import { watchMode } from './watchLoop';
import { warn } from './warnings';

/** How a run ended, as far as the manifest cares. `totalFiles` is Jest's count, unknown for a checkpoint. */
export interface RunEnd {
  interrupted: boolean;
  otherFailure: boolean;
  totalFiles: number | null;
}

/** What stays the same across a reporter's runs. */
export interface RunFacts {
  globalConfig: Config.GlobalConfig;
  selection: Selection | null;
  /** How this Jest was started, for the manifest: a rerun repeats it (core/invocation). */
  invocation: Invocation | null;
}

/** A checkpoint: the run so far, as if interrupted now (every file without a result is notRun). */
export const CHECKPOINT: RunEnd = { interrupted: true, otherFailure: false, totalFiles: null };

export function byProjectAndFile(a: { project: string | null; file: string }, b: { project: string | null; file: string }): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const [pa, pb] = [a.project ?? '', b.project ?? ''];
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

function jestVersion(rootDir: string): string {
  for (const name of ['jest/package.json', 'jest-runner/package.json']) {
    try {
      return (require(require.resolve(name, { paths: [rootDir, __dirname] })) as { version: string }).version;
    } catch {
      // try the next
    }
  }
  return 'unknown';
}

/** The runner's plan of this run, or undefined (with a warning) when the planned-tests channel cannot be read. */
function readPlannedTests(): PlannedTest[] | undefined {
  try {
    return plannedTests();
  } catch (error) {
    warn(oneLine(error));
    return undefined;
  }
}

export function runRecord(facts: RunFacts, collector: RunCollector, startedAt: Date, end: RunEnd): RunRecord {
  const { globalConfig } = facts;
  // The runner's list of this run's files (reset when a run starts, so watch mode's earlier runs are not in it).
  const planned = readPlannedTests();
  const notRun = collector.notRun(planned);
  const unnamed = end.totalFiles === null ? 0 : end.totalFiles - collector.reportedFiles - notRun.length;
  if (!planned && !watchMode(globalConfig) && unnamed > 0 && !end.interrupted) {
    warn(`${unnamed} test file(s) never ran and cannot be named without runner: 'jest-flakeguard/runner'; a rerun will not cover them`);
  }
  const shard = globalConfig.shard;
  const files = [...collector.files].sort(byProjectAndFile);
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    jestVersion: jestVersion(globalConfig.rootDir),
    shard: shard ? `${shard.shardIndex}/${shard.shardCount}` : null,
    seed: globalConfig.seed ?? null,
    interrupted: end.interrupted,
    otherFailure: end.otherFailure,
    // Workers finish in any order: sorted, the same run always writes the same files.
    files,
    notRun: notRun.sort(byProjectAndFile),
    findings: [...collector.findings].sort(byProjectAndFile),
    // An interrupted run did not get to look for everything.
    notFound: end.interrupted ? [] : notFound(globalConfig.rootDir, facts.selection, files, notRun),
    invocation: facts.invocation,
  };
}
