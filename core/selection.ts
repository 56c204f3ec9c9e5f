// Which tests of a file run: the exact (file, title path) selection used by `flakeguard rerun` and the quarantine —
// its shape, version and the one validator every reader and writer of the selection channel (io/selectionFile) uses.
//
// `flakeguard rerun` and `flakeguard hunt` hand it to the Jest they start as a file named in its environment; the
// environment applies it at `run_start`, marking every test whose title path is not selected as skipped (jest-circus
// `mode = 'skip'`), comparing title arrays, never fullName. Files absent from `files` are not touched by the selection.
// The quarantine's selection (core/quarantine) is built in the environment from quarantine.json and never travels.

import { FlakeguardError } from './errors';

export const SELECTION_VERSION = 1;

export interface Selection {
  schemaVersion: typeof SELECTION_VERSION;
  /** Absolute test path → the title paths that run, or 'all' for the whole file. */
  include?: Record<string, string[][] | 'all'>;
  /** Absolute test path → title paths to skip (with the reason to show), or 'all'. */
  exclude?: Record<string, Array<{ titles: string[]; reason: string }> | 'all'>;
  /**
   * What a rerun was asked to run, project by project (the manifest entries behind `include`): the reporter
   * lists the ones the run did not find as failed, so they are not forgotten by the next rerun.
   */
  targets?: SelectionTarget[];
}

/** A test (titles) or a whole file (titles null) a rerun must find. */
export interface SelectionTarget {
  project: string | null;
  /** The manifest's own spelling of the file (rootDir-relative), written back as it was when not found. */
  file?: string;
  /** Absolute path, as Jest and the environment see it. */
  testPath: string;
  titles: string[] | null;
  /** Set when the rerun did not hand the target to Jest (core/rerunPlan's RefusedReason): not found by definition. */
  refused?: 'outside-root' | 'unknown-project';
}

export type Verdict = { run: true } | { run: false; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isTitles = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'string');
const isNullableString = (value: unknown): boolean => value === null || typeof value === 'string';

/** The first thing wrong with a parsed selection, or null: its shape is checked before any of it is used. */
export function selectionProblem(value: unknown): string | null {
  if (!isObject(value)) return 'not a jest-flakeguard selection (an object with schemaVersion 1)';
  if (value.schemaVersion !== SELECTION_VERSION)
    return `schemaVersion ${JSON.stringify(value.schemaVersion)} is not this jest-flakeguard's (${SELECTION_VERSION}): the selection was written by another version of jest-flakeguard`;
  if (value.include !== undefined) {
    if (!isObject(value.include)) return '"include" must be an object';
    for (const [key, entry] of Object.entries(value.include)) {
      if (entry !== 'all' && !(Array.isArray(entry) && entry.every(isTitles))) return `include of ${JSON.stringify(key)} must be "all" or title paths`;
    }
  }
  if (value.exclude !== undefined) {
    if (!isObject(value.exclude)) return '"exclude" must be an object';
    for (const [key, entry] of Object.entries(value.exclude)) {
      const ok = entry === 'all' || (Array.isArray(entry) && entry.every((e) => isObject(e) && isTitles(e.titles) && typeof e.reason === 'string'));
      if (!ok) return `exclude of ${JSON.stringify(key)} must be "all" or {titles, reason} entries`;
    }
  }
  if (value.targets !== undefined) {
    if (!Array.isArray(value.targets)) return '"targets" must be an array';
    for (const [i, t] of value.targets.entries()) {
      const ok =
        isObject(t) &&
        isNullableString(t.project) &&
        typeof t.testPath === 'string' &&
        (t.titles === null || isTitles(t.titles)) &&
        (t.file === undefined || typeof t.file === 'string') &&
        (t.refused === undefined || t.refused === 'outside-root' || t.refused === 'unknown-project');
      if (!ok) return `targets[${i}] must be {project, testPath, titles}`;
    }
  }
  return null;
}

/** `parsed` (the JSON of `file`) as a selection, or a FlakeguardError naming the channel, the file and the first thing wrong. */
export function validateSelection(parsed: unknown, file: string): Selection {
  const problem = selectionProblem(parsed);
  if (problem) throw new FlakeguardError('BAD_CHANNEL', `selection channel: ${problem}`, file);
  return parsed as Selection;
}

const samePath = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

/** Whether the test at `titles` (describe titles, then its own) in `testPath` runs under `selection`. */
export function selectTest(selection: Selection, testPath: string, titles: readonly string[]): Verdict {
  const included = selection.include?.[testPath];
  if (selection.include && included === undefined) {
    // The file is not in the selection at all; selecting files is Jest's job (by path), not ours.
  } else if (included !== undefined && included !== 'all' && !included.some((wanted) => samePath(wanted, titles))) {
    return { run: false, reason: 'not selected by flakeguard' };
  }
  const excluded = selection.exclude?.[testPath];
  if (excluded === 'all') return { run: false, reason: 'quarantined' };
  const hit = excluded?.find((entry) => samePath(entry.titles, titles));
  if (hit) return { run: false, reason: hit.reason ? `quarantined: ${hit.reason}` : 'quarantined' };
  return { run: true };
}
