// The selection channel: how `flakeguard rerun` and `flakeguard hunt` hand the Jest they start a selection (its format
// and validator are core/selection's) — a file, written atomically, named by an environment variable that Jest's
// workers inherit; the environment and the reporter read it back. This module alone knows the variable's name.

import * as fs from 'fs';
import { FlakeguardError } from '../core/errors';
import { validateSelection, type Selection } from '../core/selection';
import { writeFileAtomic } from './atomicWrite';

export { SELECTION_VERSION, type Selection } from '../core/selection';

const SELECTION_ENV = 'FLAKEGUARD_SELECTION';

/** The selection in `file`, validated; a FlakeguardError naming the file when it is unreadable, foreign or malformed. */
export function readSelection(file: string): Selection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FlakeguardError('BAD_CHANNEL', `selection channel: cannot read the test selection (${(error as Error).message.split('\n')[0]})`, file);
  }
  return validateSelection(parsed, file);
}

/** Writes `selection` to `file` — refused as the reader would refuse it — and returns `env` naming it for the Jest to start. */
export function sendSelection(env: NodeJS.ProcessEnv, file: string, selection: Selection): NodeJS.ProcessEnv {
  writeFileAtomic(file, JSON.stringify(validateSelection(selection, file)));
  return { ...env, [SELECTION_ENV]: file };
}

/** `env` without a selection: a Jest started with it runs what its arguments say. */
export function withoutSelection(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { [SELECTION_ENV]: _sent, ...rest } = env;
  return rest;
}

/** The selection this process was started with, or null when none was sent. Throws what readSelection throws. */
export function receivedSelection(env: NodeJS.ProcessEnv = process.env): Selection | null {
  const file = env[SELECTION_ENV];
  return file ? readSelection(file) : null;
}
