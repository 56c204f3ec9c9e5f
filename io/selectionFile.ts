// The selection file that `flakeguard rerun` and the quarantine hand the environment (its shape is core/selection's):
// named by FLAKEGUARD_SELECTION, written atomically, read and validated before use.

import * as fs from 'fs';
import { FlakeguardError } from '../core/errors';
import { validateSelection, type Selection } from '../core/selection';
import { writeFileAtomic } from './atomicWrite';

export const SELECTION_ENV = 'FLAKEGUARD_SELECTION';

export function readSelection(file: string): Selection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlakeguardError('BAD_OPTION', `cannot read the test selection (${(error as Error).message.split('\n')[0]})`, file);
  }
  return validateSelection(parsed, file);
}

export function writeSelection(file: string, selection: Selection): void {
  writeFileAtomic(file, JSON.stringify(selection));
}
