// Where every file jest-flakeguard writes or reads goes: one place, relative to Jest's rootDir. The reporter,
// withFlakeguard's watch ignores and every command ask here, so a config in a subfolder, a custom outputDir and a command run from elsewhere agree.

import * as path from 'path';

/** The reporter's default outputDir, relative to rootDir. */
export const DEFAULT_OUTPUT_DIR = '.flakeguard';
export const MANIFEST_FILE_NAME = 'last-run.json';
export const HISTORY_DIR_NAME = 'history';
export const HUNT_FILE_NAME = 'hunt.json';
export const QUARANTINE_FILE_NAME = 'quarantine.json';
export const JUNIT_FILE_NAME = 'junit.xml';

export interface OutputPaths {
  /** The output directory itself (absolute). */
  dir: string;
  manifest: string;
  history: string;
  junit: string;
  hunt: string;
  /** Written by `flakeguard quarantine`, committed by the user; always under rootDir's `.flakeguard/`. */
  quarantine: string;
}

/** Jest does not replace `<rootDir>` in reporter options: a leading one is rootDir; relative paths are against it. */
export function resolveUnderRoot(rootDir: string, value: string): string {
  return path.resolve(rootDir, value.replace(/^<rootDir>/, rootDir));
}

/** Every output's absolute path for a run whose rootDir is `rootDir` and whose reporter writes to `outputDir`. */
export function outputPaths(rootDir: string, outputDir: string = DEFAULT_OUTPUT_DIR): OutputPaths {
  const dir = resolveUnderRoot(rootDir, outputDir);
  return {
    dir,
    manifest: path.join(dir, MANIFEST_FILE_NAME),
    history: path.join(dir, HISTORY_DIR_NAME),
    junit: path.join(dir, JUNIT_FILE_NAME),
    hunt: path.join(dir, HUNT_FILE_NAME),
    quarantine: path.join(rootDir, DEFAULT_OUTPUT_DIR, QUARANTINE_FILE_NAME),
  };
}

/** The manifest a command reads when told nothing: the default output directory of the current directory. */
export const DEFAULT_MANIFEST = path.join(DEFAULT_OUTPUT_DIR, MANIFEST_FILE_NAME);
