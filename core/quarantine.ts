// Owns the format of `.flakeguard/quarantine.json`: its shape, validation and codec (the file itself is
// io/quarantineFile's), expiry, dangling entries, and the test selections that split a suite into the `stable` and `flaky` projects.

import * as path from 'path';
import { inline } from './safeText';
import { FlakeguardError } from './errors';
import { SELECTION_VERSION, type Selection } from './selection';
import { DEFAULT_OUTPUT_DIR, QUARANTINE_FILE_NAME } from './outputPaths';

/** Where the quarantine lives, relative to rootDir. */
export const QUARANTINE_FILE = `${DEFAULT_OUTPUT_DIR}/${QUARANTINE_FILE_NAME}`;

export interface QuarantineEntry {
  /** Test file, relative to rootDir, `/` separators. */
  file: string;
  /** Exact title path (describe titles, then the test title); absent: the whole file. */
  titles?: string[];
  reason: string;
  owner?: string;
  /** Issue or ticket URL. */
  issue?: string;
  /** `YYYY-MM-DD`. */
  added: string;
  /** `YYYY-MM-DD`: the last day the entry is valid; absent: never expires. */
  expires?: string;
}

export interface Quarantine {
  schemaVersion: 1;
  entries: QuarantineEntry[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyQuarantine(): Quarantine {
  return { schemaVersion: 1, entries: [] };
}

/** Checks a parsed quarantine.json; anything wrong is a FlakeguardError naming `file`, the entry and the problem. */
export function validateQuarantine(value: unknown, file: string): Quarantine {
  const fail = (problem: string): never => {
    throw new FlakeguardError('BAD_QUARANTINE', `${problem} (fix or remove the file)`, file);
  };
  if (!isObject(value)) return fail('not a JSON object');
  if (value.schemaVersion !== 1) return fail(`schemaVersion must be 1, found ${JSON.stringify(value.schemaVersion)}`);
  if (!Array.isArray(value.entries)) return fail('"entries" must be an array');
  const entries: QuarantineEntry[] = [];
  value.entries.forEach((raw: unknown, index: number) => {
    const where = `entries[${index}]`;
    if (!isObject(raw)) return fail(`${where} is not an object`);
    const entry: QuarantineEntry = { file: '', reason: '', added: '' };
    if (typeof raw.file !== 'string' || raw.file === '') return fail(`${where}.file must be a non-empty string`);
    if (path.isAbsolute(raw.file) || raw.file.includes('\\')) return fail(`${where}.file must be relative to rootDir with / separators`);
    // `../x.js` would name a file outside the project: no test of this rootDir, and prune could never judge it.
    const normal = path.posix.normalize(raw.file);
    if (normal === '..' || normal.startsWith('../')) return fail(`${where}.file "${raw.file}" is outside rootDir: name a test file under it`);
    entry.file = raw.file;
    if (raw.titles !== undefined) {
      if (!Array.isArray(raw.titles) || raw.titles.length === 0 || !raw.titles.every((t: unknown) => typeof t === 'string')) {
        return fail(`${where}.titles must be a non-empty array of strings (omit it to quarantine the whole file)`);
      }
      entry.titles = [...(raw.titles as string[])];
    }
    if (typeof raw.reason !== 'string' || raw.reason.trim() === '') return fail(`${where}.reason must be a non-empty string`);
    entry.reason = raw.reason;
    for (const key of ['owner', 'issue'] as const) {
      if (raw[key] === undefined) continue;
      if (typeof raw[key] !== 'string') return fail(`${where}.${key} must be a string`);
      entry[key] = raw[key] as string;
    }
    if (typeof raw.added !== 'string' || !isDate(raw.added)) return fail(`${where}.added must be a date YYYY-MM-DD`);
    entry.added = raw.added;
    if (raw.expires !== undefined) {
      if (typeof raw.expires !== 'string' || !isDate(raw.expires)) return fail(`${where}.expires must be a date YYYY-MM-DD`);
      entry.expires = raw.expires;
    }
    entries.push(entry);
  });
  return { schemaVersion: 1, entries };
}

/** The JSON of `quarantine`, entries sorted by file then title path so diffs stay small. */
export function serializeQuarantine(quarantine: Quarantine): string {
  const entries = [...quarantine.entries].sort(compareEntries).map(orderKeys);
  return `${JSON.stringify({ schemaVersion: 1, entries }, null, 2)}\n`;
}

/** How a person names an entry: `test/a.test.ts > suite > test`, or the file alone; always one line (core/safeText). */
export function entryName(entry: Pick<QuarantineEntry, 'file' | 'titles'>): string {
  return inline([entry.file, ...(entry.titles ?? [])].join(' > '));
}

export function sameTarget(a: Pick<QuarantineEntry, 'file' | 'titles'>, b: Pick<QuarantineEntry, 'file' | 'titles'>): boolean {
  if (a.file !== b.file) return false;
  if (!a.titles || !b.titles) return !a.titles && !b.titles;
  return samePath(a.titles, b.titles);
}

/** Adds `entry`, replacing an entry for the same file and title path. */
export function addEntry(quarantine: Quarantine, entry: QuarantineEntry): Quarantine {
  return { schemaVersion: 1, entries: [...quarantine.entries.filter((e) => !sameTarget(e, entry)), entry] };
}

/** Removes the entry for exactly this file and title path; `removed` is false when there was none. */
export function removeEntry(quarantine: Quarantine, target: Pick<QuarantineEntry, 'file' | 'titles'>): { quarantine: Quarantine; removed: boolean } {
  const entries = quarantine.entries.filter((e) => !sameTarget(e, target));
  return { quarantine: { schemaVersion: 1, entries }, removed: entries.length !== quarantine.entries.length };
}

// ---- dates ------------------------------------------------------------------------------------------------

/** `YYYY-MM-DD` of `date` in UTC. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Days already judged: a quarantine's entries share a few dates, and parsing each again was most of validating 100,000. */
const judgedDays = new Map<string, boolean>();

function isDate(text: string): boolean {
  const known = judgedDays.get(text);
  if (known !== undefined) return known;
  const parsed = DATE.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  const valid = parsed !== undefined && !Number.isNaN(parsed.getTime()) && isoDay(parsed) === text;
  if (judgedDays.size < 10_000) judgedDays.set(text, valid);
  return valid;
}

/**
 * `--expires` as a date: `30d`, `2w`, `1m` (30 days) counted from `today`, or an ISO date `YYYY-MM-DD`.
 * A date before `today` is an error: quarantine is a loan, it cannot start out expired.
 */
export function resolveExpires(spec: string, today: string): string {
  const relative = /^(\d+)\s*([dwm])$/i.exec(spec.trim());
  let day: string | undefined;
  if (relative) {
    const count = Number(relative[1]) * ({ d: 1, w: 7, m: 30 } as const)[relative[2]!.toLowerCase() as 'd' | 'w' | 'm'];
    if (count <= 0) throw new FlakeguardError('BAD_OPTION', `--expires ${spec}: give a positive duration such as 30d`);
    day = addDays(today, count);
  } else if (isDate(spec.trim())) {
    day = spec.trim();
  } else {
    throw new FlakeguardError('BAD_OPTION', `--expires ${spec}: use a duration (30d, 2w, 1m) or a date YYYY-MM-DD`);
  }
  if (day === undefined || !isDate(day)) {
    throw new FlakeguardError('BAD_OPTION', `--expires ${spec}: too far in the future (the last date is 9999-12-31; --expires never for no expiry)`);
  }
  if (day < today) throw new FlakeguardError('BAD_OPTION', `--expires ${spec}: ${day} is already past`);
  return day;
}

/** `day` plus `days`, or undefined past what a `YYYY-MM-DD` date can say. */
export function addDays(day: string, days: number): string | undefined {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) return undefined;
  return isoDay(date);
}

/** Entries whose `expires` day is before `today` (`YYYY-MM-DD`); an entry is valid through its expires day. */
export function expiredEntries(quarantine: Quarantine, today: string): QuarantineEntry[] {
  return quarantine.entries.filter((entry) => entry.expires !== undefined && entry.expires < today);
}

/** One line for an expired entry: what, whose, its last valid day, and what to do. */
export function describeExpired(entry: QuarantineEntry): string {
  return (
    `quarantine of "${entryName(entry)}" (owner: ${inline(entry.owner ?? 'none')}) expired after ${entry.expires}: ` +
    'fix the test and run `flakeguard quarantine remove`, or extend it with `flakeguard quarantine add … --expires`'
  );
}

// ---- dangling entries ---------------------------------------------------------------------------------------

/** What is known to exist. `tests` may list only some files: an entry's titles are checked only for those. */
export interface ExistingTests {
  /** Whether a test file (rootDir-relative) exists. */
  fileExists(file: string): boolean;
  /** Every title path of `file` when known (from a run or the history), undefined when unknown. */
  titlesOf(file: string): readonly (readonly string[])[] | undefined;
}

export interface DanglingEntry {
  entry: QuarantineEntry;
  problem: 'file-missing' | 'test-missing';
}

/** Entries that name a file or a test that no longer exists. */
export function danglingEntries(quarantine: Quarantine, existing: ExistingTests): DanglingEntry[] {
  const dangling: DanglingEntry[] = [];
  for (const entry of quarantine.entries) {
    if (!existing.fileExists(entry.file)) {
      dangling.push({ entry, problem: 'file-missing' });
      continue;
    }
    if (!entry.titles) continue;
    const titles = existing.titlesOf(entry.file);
    if (titles && !titles.some((t) => samePath(t, entry.titles!))) dangling.push({ entry, problem: 'test-missing' });
  }
  return dangling;
}

/** What is gone: `file test/a.test.ts does not exist` or `no test "test/a.test.ts > suite > test"`. */
export function danglingProblem({ entry, problem }: DanglingEntry): string {
  return problem === 'file-missing' ? `file ${inline(entry.file)} does not exist` : `no test "${entryName(entry)}"`;
}

export function describeDangling(dangling: DanglingEntry): string {
  return `quarantine entry names a test that is gone: ${danglingProblem(dangling)}; remove it with \`flakeguard quarantine prune\``;
}

// ---- the stable / flaky split -------------------------------------------------------------------------------

/** The two projects of `withFlakeguard`: `stable` skips the quarantine, `flaky` runs only the quarantine. */
export type QuarantineMode = 'exclude' | 'only';

export interface QuarantineSelections {
  /** For `stable`: skips quarantined tests (with their reason) and whole quarantined files. */
  stable: Selection;
  /** For `flaky`: inside each quarantined file, runs only the quarantined tests ('all' for a whole file). */
  flaky: Selection;
  /** rootDir-relative files quarantined whole (by entry or `@flaky`): `stable` must not even load them. */
  wholeFiles: string[];
  /** rootDir-relative files with quarantined tests: `flaky` must load them, `stable` too. */
  partialFiles: string[];
}

/**
 * Turns entries, plus files quarantined by `@flaky` (rootDir-relative file → reason), into the selections of
 * the two projects. Selection keys are absolute paths under `rootDir`, as the environment sees `testPath`.
 */
export function quarantineSelections(quarantine: Quarantine, rootDir: string, pragmaFiles: ReadonlyMap<string, string> = new Map()): QuarantineSelections {
  const whole = new Map<string, string>();
  const partial = new Map<string, Array<{ titles: string[]; reason: string }>>();
  for (const [file, reason] of pragmaFiles) whole.set(file, reason);
  for (const entry of quarantine.entries) {
    if (!entry.titles) {
      if (!whole.has(entry.file)) whole.set(entry.file, entry.reason);
      continue;
    }
    const list = partial.get(entry.file) ?? [];
    list.push({ titles: entry.titles, reason: entry.reason });
    partial.set(entry.file, list);
  }
  const abs = (file: string): string => path.join(rootDir, ...file.split('/'));
  const stable: Selection = { schemaVersion: SELECTION_VERSION, exclude: {} };
  const flaky: Selection = { schemaVersion: SELECTION_VERSION, include: {} };
  for (const file of whole.keys()) {
    stable.exclude![abs(file)] = 'all';
    flaky.include![abs(file)] = 'all';
  }
  const partialFiles: string[] = [];
  for (const [file, tests] of partial) {
    if (whole.has(file)) continue;
    partialFiles.push(file);
    stable.exclude![abs(file)] = tests;
    flaky.include![abs(file)] = tests.map((t) => t.titles);
  }
  return { stable, flaky, wholeFiles: [...whole.keys()].sort(), partialFiles: partialFiles.sort() };
}

// ---- project names ------------------------------------------------------------------------------------------

/**
 * The config helper names projects `stable` / `flaky`, or `<name> stable` / `<name> flaky` when it splits a
 * user's project `<name>`. The history and statistics treat both halves as one project: a test keeps its
 * identity when it moves in or out of the quarantine.
 */
export function baseProject(displayName: string | null): string | null {
  if (displayName === null) return null;
  if (displayName === 'stable' || displayName === 'flaky') return null;
  const match = /^(.*) (stable|flaky)$/.exec(displayName);
  return match ? match[1]! : displayName;
}

// ---- helpers ------------------------------------------------------------------------------------------------

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

function compareEntries(a: QuarantineEntry, b: QuarantineEntry): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  // A whole-file entry comes before the file's test entries.
  const ta = a.titles ? JSON.stringify(a.titles) : '';
  const tb = b.titles ? JSON.stringify(b.titles) : '';
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

function orderKeys(entry: QuarantineEntry): QuarantineEntry {
  const ordered: QuarantineEntry = { file: entry.file } as QuarantineEntry;
  if (entry.titles) ordered.titles = entry.titles;
  ordered.reason = entry.reason;
  if (entry.owner !== undefined) ordered.owner = entry.owner;
  if (entry.issue !== undefined) ordered.issue = entry.issue;
  ordered.added = entry.added;
  if (entry.expires !== undefined) ordered.expires = entry.expires;
  return ordered;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a test (rootDir-relative file + title path) is quarantined now: by an entry for the test or its
 * whole file, or by `@flaky` on its file (`pragmaFiles`). Projects play no part: a quarantine spans them.
 */
export function isQuarantinedBy(quarantine: Quarantine, pragmaFiles: ReadonlySet<string> = new Set()): (test: { file: string; titles: readonly string[] }) => boolean {
  const whole = new Set(pragmaFiles);
  const tests = new Set<string>();
  for (const entry of quarantine.entries) {
    if (entry.titles) tests.add(JSON.stringify([entry.file, entry.titles]));
    else whole.add(entry.file);
  }
  return (test) => whole.has(test.file) || tests.has(JSON.stringify([test.file, test.titles]));
}
