// What the hygiene environment found in a test: the check names and the shape of a finding. The channel that carries
// findings to the reporter (a directory of files, their format and validator) is io/findingsChannel's.

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
