// What withFlakeguard writes into the config it builds for its own modules to read back: a project's
// `testEnvironmentOptions.flakeguard` (the environment's options, and the files the test sequencer keeps — the
// environment removes both before the base environment sees its options) and the quarantine reporter's options.

import type { QuarantineEnvironmentOptions } from './quarantine';

/** Where config/retrySetup finds the retry count on the sandbox global (a symbol: no name a test could see; `Symbol.for`
 * is shared by every realm, the sandbox's included). */
export const RETRIES_SYMBOL = Symbol.for('jest-flakeguard.retries');

export const FILES_KEY = 'files';

export interface ProjectFileSelection {
  /** `exclude`: every file but these (stable); `only`: these files alone (flaky). */
  mode: 'exclude' | 'only';
  /** Absolute paths of test files. */
  files: string[];
  /** The user's own testSequencer (absolute path), which ours wraps; absent: Jest's. */
  sequencer?: string;
}

/** What `withFlakeguard` puts in `testEnvironmentOptions.flakeguard` besides the user's hygiene options. */
export interface ProjectEnvironmentOptions {
  /** 'node', 'jsdom', or the absolute path of the user's environment module. */
  environment?: string;
  /** This project's part of the quarantine: 'exclude' for stable, 'only' for flaky. */
  quarantine?: QuarantineEnvironmentOptions;
  /** Attempts after a failure, applied by config/retrySetup through `jest.retryTimes`. */
  retries?: number;
}

export interface QuarantineReporterOptions {
  /** Absolute rootDir the quarantine's files are relative to. */
  rootDir: string;
  /** Absolute path of quarantine.json. */
  quarantineFile: string;
  /** One line per expired entry, found when the config was built. */
  expired: string[];
  /** Projects (displayName) in which a test that passed only after a retry fails the run. */
  failOnFlaky: string[];
}
