// The channel that carries the hygiene environment's findings (core/findings) to the reporter.
//
// Channel: the environment writes one JSON file per test file (and process) into a directory; the reporter
// reads and removes it when Jest reports that file. The reporter names a run-scoped directory in
// FLAKEGUARD_FINDINGS_DIR before any worker starts (workers inherit it); without a reporter the environment
// prints its findings and writes nothing. Files work the same in band and in workers.

import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import type { Finding, FindingsFile } from '../core/findings';
import { writeFileAtomic } from './atomicWrite';
import { processAlive } from './fileLock';

export { FINDINGS_DIR_ENV } from '../core/outputPaths';

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

/** A run's findings directory: `flakeguard-findings-<pid of the reporter's process>-<random>` in the temp folder. */
const DIR_PREFIX = 'flakeguard-findings-';
const dirPid = (name: string): number => (name.startsWith(DIR_PREFIX) ? Number(/^(\d+)-/.exec(name.slice(DIR_PREFIX.length))?.[1]) : NaN);

/**
 * Makes this run's findings directory in `tmp`, first sweeping those of Jest processes that died of a signal (Ctrl-C
 * runs no exit handler): the directory's name carries the pid that made it. Throws when it cannot be made.
 */
export function createFindingsDir(tmp: string): string {
  let names: string[] = [];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    // nothing to sweep
  }
  for (const name of names) {
    const pid = dirPid(name);
    if (pid > 0 && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(tmp, `${DIR_PREFIX}${process.pid}-`));
}
