// Finds the ESLint and the TypeScript parser that `flakeguard lint` runs with: the project's own first (as the
// project installed them, which works under pnpm's strict layout too), then any beside jest-flakeguard.

import { FlakeguardError } from '../core/errors';

/** What `flakeguard lint` uses of the `eslint` package (its `ESLint` class, typed by the package itself). */
export type EslintModule = typeof import('eslint');

export const INSTALL_ESLINT = 'ESLint 9 or later is needed: npm i -D eslint';
export const INSTALL_TS_PARSER = 'TypeScript test files need a parser: npm i -D @typescript-eslint/parser';

/** The path `require` would load `name` from, looking from each folder in turn; undefined when none has it. */
export function resolveFrom(name: string, folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    try {
      return require.resolve(name, { paths: [folder] });
    } catch {
      // not installed there
    }
  }
  return undefined;
}

export function loadEslint(folders: readonly string[]): EslintModule {
  const found = resolveFrom('eslint', folders);
  if (!found) throw new FlakeguardError('USAGE', INSTALL_ESLINT);
  const eslint = require(found) as EslintModule;
  const major = Number(String(eslint.ESLint?.version ?? '0').split('.')[0]);
  if (!(major >= 9)) throw new FlakeguardError('USAGE', `${INSTALL_ESLINT} (found ESLint ${eslint.ESLint?.version ?? 'of unknown version'} at ${found})`);
  return eslint;
}

/** The TypeScript parser, or undefined: a project without TypeScript test files does not need one. */
export function loadTypescriptParser(folders: readonly string[]): object | undefined {
  const found = resolveFrom('@typescript-eslint/parser', folders);
  return found ? (require(found) as object) : undefined;
}
