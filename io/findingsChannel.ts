// The findings channel: how the hygiene environment's findings (core/findings) reach the reporter. This module alone
// knows its environment variable, its directory and file names and its file format, written and read through one
// validator (decodeFindingsFile).
//
// Channel: the environment writes one JSON file per test file (and process) into a directory; the reporter
// reads and removes it when Jest reports that file. The reporter names a run-scoped directory in the
// environment (findingsEnv) before any worker starts (workers inherit it); without a reporter the environment
// prints its findings and writes nothing. Files work the same in band and in workers.

import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { CHECK_NAMES, type Finding } from '../core/findings';
import { FlakeguardError } from '../core/errors';
import { writeFileAtomic } from './atomicWrite';
import { processAlive } from './fileLock';

export const FINDINGS_CHANNEL_VERSION = 1;

/** The environment variable naming the directory; exported for fixtures and specs that stand in for the reporter. */
export const FINDINGS_DIR_ENV = 'FLAKEGUARD_FINDINGS_DIR';

const CHANNEL = 'findings channel';

/** One file of the channel: what one environment found in one test file. */
export interface FindingsFile {
  schemaVersion: typeof FINDINGS_CHANNEL_VERSION;
  testPath: string;
  /** The project that ran the file (displayName or null): one file may run in several projects. */
  project?: string | null;
  findings: Finding[];
}

/** The variables that hand Jest's processes `dir` as the findings directory (the reporter sets them on itself). */
export function findingsEnv(dir: string): Record<string, string> {
  return { [FINDINGS_DIR_ENV]: dir };
}

/** The findings directory the reporter chose for this run (inherited by Jest's workers), or undefined. */
export function findingsDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[FINDINGS_DIR_ENV] || undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isNullableString = (value: unknown): boolean => value === null || typeof value === 'string';

/** What is wrong with one finding, or null. */
function findingProblem(value: unknown): string | null {
  if (!isObject(value)) return 'must be an object';
  if (!(CHECK_NAMES as readonly unknown[]).includes(value.check)) return `.check must be a check name, not ${JSON.stringify(value.check)}`;
  if (!isNullableString(value.project)) return '.project must be a name or null';
  if (typeof value.file !== 'string') return '.file must be a path';
  if (!isStrings(value.titles)) return '.titles must be a list of titles';
  if (typeof value.message !== 'string') return '.message must be a string';
  if (!isNullableString(value.at)) return '.at must be file:line:column or null';
  if (value.severity !== 'error' && value.severity !== 'warn') return ".severity must be 'error' or 'warn'";
  if (value.tests !== undefined && !(Number.isInteger(value.tests) && (value.tests as number) > 0)) return '.tests must be a count';
  if (value.reached !== undefined && !isStrings(value.reached)) return '.reached must be a list of titles';
  if (value.outlivesFile !== undefined && typeof value.outlivesFile !== 'boolean') return '.outlivesFile must be true or false';
  return null;
}

/** What is wrong with a findings file, or null. */
function fileProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a findings file (an object with schemaVersion 1)';
  if (value.schemaVersion !== FINDINGS_CHANNEL_VERSION)
    return `schemaVersion ${JSON.stringify(value.schemaVersion)} is not this jest-flakeguard's (${FINDINGS_CHANNEL_VERSION}): written by another version of jest-flakeguard`;
  if (typeof value.testPath !== 'string') return '"testPath" must be a path';
  if (value.project !== undefined && !isNullableString(value.project)) return '"project" must be a name or null';
  if (!Array.isArray(value.findings)) return '"findings" must be a list';
  for (const [i, finding] of value.findings.entries()) {
    const problem = findingProblem(finding);
    if (problem) return `findings[${i}]${problem.startsWith('.') ? '' : ' '}${problem}`;
  }
  return null;
}

/** The one validator: `parsed` (the JSON of `file`) as a findings file, or a FlakeguardError naming the file and the channel. */
export function decodeFindingsFile(parsed: unknown, file: string): FindingsFile {
  const problem = fileProblem(parsed);
  if (problem) throw new FlakeguardError('BAD_CHANNEL', `${CHANNEL}: ${problem}`, file);
  return parsed as FindingsFile;
}

const keyOf = (testPath: string): string => createHash('sha1').update(testPath).digest('hex').slice(0, 16);
let written = 0;

/** One file per write (path key, process, sequence): a second run of the same file never overwrites the first. */
export function writeFindings(dir: string, testPath: string, findings: Finding[]): void {
  const file = path.join(dir, `${keyOf(testPath)}-${process.pid}-${++written}.json`);
  const contents: FindingsFile = { schemaVersion: FINDINGS_CHANNEL_VERSION, testPath, project: findings[0]?.project ?? null, findings };
  writeFileAtomic(file, JSON.stringify(decodeFindingsFile(contents, file)));
}

/**
 * Takes (reads and removes) the findings files written for `testPath` — for `project` only, when given, so the
 * same file run by two projects keeps its findings apart. A file that cannot be read, or is foreign or malformed, is
 * removed and handed to `problem` (the reporter warns); its findings are not taken.
 */
export function takeFindings(dir: string, testPath: string, project?: string | null, problem: (error: FlakeguardError) => void = () => {}): Finding[] {
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
    let contents: FindingsFile;
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (error) {
        throw new FlakeguardError('BAD_CHANNEL', `${CHANNEL}: cannot read the file (${(error as Error).message.split('\n')[0]})`, file);
      }
      contents = decodeFindingsFile(parsed, file);
    } catch (error) {
      fs.rmSync(file, { force: true });
      problem(error as FlakeguardError);
      continue;
    }
    // Another file's key (a hash prefix shared by two paths) or another project's run of this file: theirs to take.
    if (contents.testPath !== testPath) continue;
    if (project !== undefined && (contents.project ?? null) !== project) continue;
    findings.push(...contents.findings);
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
