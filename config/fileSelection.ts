// The channel from withFlakeguard to its test sequencer: which files a project keeps, written into the project's
// `testEnvironmentOptions.flakeguard` (the environment removes it before the base environment sees its options).

export const FILES_KEY = 'files';

export interface ProjectFileSelection {
  /** `exclude`: every file but these (stable); `only`: these files alone (flaky). */
  mode: 'exclude' | 'only';
  /** Absolute paths of test files. */
  files: string[];
  /** The user's own testSequencer (absolute path), which ours wraps; absent: Jest's. */
  sequencer?: string;
}
