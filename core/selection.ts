// Which tests of a file run: the exact (file, title path) selection used by `flakeguard rerun` and the quarantine.
//
// A selection is a JSON file named by FLAKEGUARD_SELECTION. The environment reads it at `run_start` and marks
// every test whose title path is not selected as skipped (jest-circus `mode = 'skip'`), comparing title arrays,
// never fullName. Files absent from `files` are not touched by the selection.

import * as fs from 'fs';
import { FlakeguardError } from './errors';

export const SELECTION_ENV = 'FLAKEGUARD_SELECTION';

export interface Selection {
  schemaVersion: 1;
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
  /** Absolute path, as Jest and the environment see it. */
  testPath: string;
  titles: string[] | null;
}

export type Verdict = { run: true } | { run: false; reason: string };

export function readSelection(file: string): Selection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlakeguardError('BAD_OPTION', `cannot read the test selection (${(error as Error).message.split('\n')[0]})`, file);
  }
  if (!parsed || typeof parsed !== 'object' || (parsed as Selection).schemaVersion !== 1) {
    throw new FlakeguardError('BAD_OPTION', 'not a jest-flakeguard selection (schemaVersion 1)', file);
  }
  return parsed as Selection;
}

export function writeSelection(file: string, selection: Selection): void {
  fs.writeFileSync(file, JSON.stringify(selection));
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
