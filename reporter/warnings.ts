// How the reporter speaks to the user on stderr: one-line warnings, an output that fails as a warning (never a failed
// run), and the paths those lines name (relative to the cwd).

import { oneLine } from '../core/errors';
import { inline } from '../core/safeText';
import { relativeFile } from './collect';

/** One line whatever the message quotes (a path, an error from a file): core/safeText. */
export function warn(message: string): void {
  process.stderr.write(`flakeguard: ${inline(message)}\n`);
}

/** Runs `action`; a failure is a one-line warning (none when `what` is null). Returns whether it succeeded. */
export function attempt(what: string | null, action: () => void): boolean {
  try {
    action();
    return true;
  } catch (error) {
    if (what !== null) warn(`${what} (${oneLine(error)}); the run's results and exit code are unaffected`);
    return false;
  }
}

/** A file as the user's shell sees it: relative to the cwd when under it. */
export function relativeToCwd(file: string): string {
  return relativeFile(process.cwd(), file);
}
