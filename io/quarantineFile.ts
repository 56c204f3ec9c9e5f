// Reads and writes `.flakeguard/quarantine.json` (the format is core/quarantine's), and loads the selection a
// project's environment applies from it.

import { parseJson, ReadProblem } from '../core/boundedParse';
import { FlakeguardError } from '../core/errors';
import { emptyQuarantine, quarantineSelections, serializeQuarantine, validateQuarantine, type Quarantine } from '../core/quarantine';
import type { QuarantineEnvironmentOptions } from '../core/environmentOptions';
import type { Selection } from '../core/selection';
import { writeFileAtomic } from './atomicWrite';
import { readCapped } from './boundedRead';

/** Reads and validates `file` within the size cap; a missing file is an empty quarantine. */
export function readQuarantine(file: string): Quarantine {
  let parsed: unknown;
  try {
    parsed = parseJson(readCapped(file).toString('utf8'));
  } catch (error) {
    if (!(error instanceof ReadProblem)) throw error;
    if (error.code === 'ENOENT') return emptyQuarantine();
    throw new FlakeguardError('BAD_QUARANTINE', error.message, file);
  }
  return validateQuarantine(parsed, file);
}

/** Writes `quarantine` atomically, entries sorted by file then title path so diffs stay small. */
export function writeQuarantine(file: string, quarantine: Quarantine): void {
  try {
    writeFileAtomic(file, serializeQuarantine(quarantine));
  } catch (error) {
    throw new FlakeguardError('UNWRITABLE', `cannot write (${(error as Error).message.split('\n')[0]})`, file);
  }
}

/**
 * The selection the environment applies at `run_start` for one project. Reads quarantine.json (the config
 * helper has validated it already; a file broken since is a FlakeguardError). `@flaky` files need nothing
 * here: Jest's testMatch already sends them whole to `flaky` only.
 */
export function loadQuarantineSelection(options: QuarantineEnvironmentOptions): Selection {
  const selections = quarantineSelections(readQuarantine(options.file), options.rootDir);
  return options.mode === 'exclude' ? selections.stable : selections.flaky;
}
