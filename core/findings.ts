// What the hygiene environment found in a test, and the channel that carries findings to the reporter.
//
// Channel: the environment writes one JSON file per test file (and process) into a directory; the reporter
// reads and removes it when Jest reports that file. The reporter names a run-scoped directory in
// FLAKEGUARD_FINDINGS_DIR before any worker starts (workers inherit it); without a reporter the environment
// prints its findings and writes nothing. Files work the same in band and in workers.

import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { writeFileAtomic } from './atomicWrite';

export { FINDINGS_DIR_ENV } from './outputPaths';

export const CHECK_NAMES = [
  'unrestored-spy',
  'unused-mock-once',
  'pending-mock-promise',
  'leaked-env',
  'leaked-global',
  'pending-timer',
  'fake-timers-left',
  'stale-module',
  'worker-state',
  'open-handle',
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

export interface Finding {
  check: CheckName;
  /** The project's displayName, or null. */
  project: string | null;
  /** Absolute path of the test file (the reporter makes it relative to rootDir). */
  file: string;
  /** Describe titles, then the test title. */
  titles: string[];
  /** One line: what leaked, e.g. `spy on api.fetchUser was not restored`. */
  message: string;
  /** `file:line:column` where the thing was created, when known. */
  at: string | null;
  /** 'error' failed the test; 'warn' only reported it. */
  severity: 'error' | 'warn';
  /** How many tests of the file left this same thing at this same line (the first one is `titles`). */
  tests?: number;
  /** The title path of the first later test the leak reached. */
  reached?: string[];
  /** The leak outlives the test file: it was still there when the file ended (worker-wide state, an open handle). */
  outlivesFile?: boolean;
}

export interface FindingsFile {
  schemaVersion: 1;
  testPath: string;
  /** The project that ran the file (displayName or null): one file may run in several projects. */
  project?: string | null;
  findings: Finding[];
}

const keyOf = (testPath: string): string => createHash('sha1').update(testPath).digest('hex').slice(0, 16);
let written = 0;

/** One file per write (path key, process, sequence): a second run of the same file never overwrites the first. */
export function writeFindings(dir: string, testPath: string, findings: Finding[]): void {
  const contents: FindingsFile = { schemaVersion: 1, testPath, project: findings[0]?.project ?? null, findings };
  writeFileAtomic(path.join(dir, `${keyOf(testPath)}-${process.pid}-${++written}.json`), JSON.stringify(contents));
}

/**
 * Takes (reads and removes) the findings files written for `testPath` — for `project` only, when given, so the
 * same file run by two projects keeps its findings apart. Unreadable files are skipped.
 */
export function takeFindings(dir: string, testPath: string, project?: string | null): Finding[] {
  const prefix = `${keyOf(testPath)}-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.json'));
  } catch {
    return [];
  }
  const findings: Finding[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as FindingsFile;
      if (parsed.schemaVersion !== 1 || parsed.testPath !== testPath) continue;
      if (project !== undefined && (parsed.project ?? null) !== project) continue;
      findings.push(...parsed.findings);
    } catch {
      // torn or foreign file: nothing to take
    }
    fs.rmSync(file, { force: true });
  }
  return findings;
}
