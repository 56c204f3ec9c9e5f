// Where Jest's own config lookup lands, so `withFlakeguard` and the command line agree with Jest about the project's
// root when they run from a subfolder (`cd test && jest` still loads ../jest.config.js, and must still read
// ../.flakeguard/quarantine.json).

import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';

/** jest-config's JEST_CONFIG_EXT_ORDER (30.5; 29.7 lacks .mts/.cts, which only adds names it never finds). */
const CONFIG_FILES = ['js', 'ts', 'mjs', 'mts', 'cjs', 'cts', 'json'].map((ext) => `jest.config.${ext}`);

const isFile = (file: string): boolean => {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
};

/**
 * jest-config's resolveConfigPath walking up from a directory: the nearest directory (from `start` up) holding a
 * `jest.config.*` or a `package.json` (any package.json stops the walk, with or without a `jest` key). Undefined at
 * the file-system root, where Jest gives up too.
 */
export function findConfigDir(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (CONFIG_FILES.some((name) => isFile(path.join(dir, name)))) return dir;
    const packageJson = path.join(dir, 'package.json');
    if (isFile(packageJson)) {
      // `"jest": "./config/jest.js"` names the config file: Jest's rootDir defaults to that file's directory.
      const named = (readJson(packageJson) as { jest?: unknown } | undefined)?.jest;
      return typeof named === 'string' ? path.dirname(path.resolve(dir, named)) : dir;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The value of `--name X`, `--name=X` (or `-c X` for config) in Jest's command line; the last one wins, as in yargs. */
function flagValue(argv: readonly string[], names: readonly string[]): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    for (const name of names) {
      if (arg === name && i + 1 < argv.length) value = argv[i + 1];
      else if (arg.startsWith(`${name}=`)) value = arg.slice(name.length + 1);
    }
  }
  return value;
}

/**
 * The `jest.config.*` file on the call stack, if any: the config being evaluated when it calls `withFlakeguard`
 * itself. That file's directory is Jest's answer even where the walk from the current directory is not (a
 * monorepo's root config naming `projects: ['<rootDir>/packages/*']`, each package config calling withFlakeguard).
 */
export function configFileOnStack(): string | undefined {
  const { prepareStackTrace, stackTraceLimit } = Error;
  let files: string[] = [];
  try {
    Error.stackTraceLimit = 30;
    Error.prepareStackTrace = (_error, frames: NodeJS.CallSite[]) => frames.map((frame) => frame.getFileName() ?? '');
    files = new Error().stack as unknown as string[];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
  for (const file of Array.isArray(files) ? files : []) {
    const local = file.startsWith('file://') ? fileURLToPath(file) : file;
    if (CONFIG_FILES.includes(path.basename(local)) && path.isAbsolute(local)) return local;
  }
  return undefined;
}

export interface RootDirFacts {
  /** The current directory. */
  cwd: string;
  /** The config file being evaluated (see `configFileOnStack`): its directory is where Jest read it from. */
  configFile?: string;
  /** Jest's command line (`process.argv`): `--config`, `-c` and `--rootDir` move the root as they move Jest's. */
  argv: readonly string[];
  /** The user's config `rootDir`, when given: relative to the config's directory, as Jest reads it. */
  configRootDir?: string;
}

/**
 * The rootDir Jest will use for this config: `--rootDir` from the command line; else the config's `rootDir` against
 * the directory of the config Jest loads (the config file calling us, else the file given by `--config`, else the
 * nearest directory from the current one up with a jest.config.* or package.json); else that directory. Falls back
 * to the current directory.
 */
export function jestRootDir({ cwd, argv, configFile, configRootDir }: RootDirFacts): string {
  const fromArgv = flagValue(argv, ['--rootDir', '--root-dir']);
  if (fromArgv) return realpath(path.resolve(cwd, fromArgv));
  const configDir = jestConfigDir({ cwd, argv, configFile });
  return realpath(configRootDir ? path.resolve(configDir, configRootDir) : configDir);
}

/**
 * The directory of the config Jest loads: the config file calling us, else the file given by `--config`, else the
 * nearest directory from the current one up with a jest.config.* or package.json; else the current directory. Jest
 * resolves the config's own `rootDir` against it, and gives it to inline projects as their default rootDir.
 */
export function jestConfigDir({ cwd, argv, configFile }: Omit<RootDirFacts, 'configRootDir'>): string {
  const config = flagValue(argv, ['--config', '-c']);
  let configDir = configFile ? path.dirname(configFile) : undefined;
  // `--config '{"json": …}'` is an inline config: no file, Jest's root is then the current directory's lookup.
  if (!configDir && config && !config.trim().startsWith('{')) {
    const given = path.resolve(cwd, config);
    configDir = isFile(given) ? path.dirname(given) : findConfigDir(given);
  }
  return realpath(configDir ?? findConfigDir(cwd) ?? cwd);
}

/**
 * The root the command line defaults to (`flakeguard quarantine`, `flakeguard report`): Jest's lookup from `cwd`,
 * honouring a `rootDir` written in jest.config.json or package.json's `jest` key. A JavaScript or TypeScript config
 * is not run (it may need a loader and do work): with a `rootDir` there, pass `--root`.
 */
export function commandLineRootDir(cwd: string): string {
  const configDir = findConfigDir(cwd) ?? cwd;
  return jestRootDir({ cwd, argv: [], configRootDir: staticRootDir(configDir) });
}

/** `rootDir` of the JSON config Jest would load from `dir`, when it is one. */
function staticRootDir(dir: string): string | undefined {
  if (CONFIG_FILES.slice(0, -1).some((name) => isFile(path.join(dir, name)))) return undefined;
  const config = isFile(path.join(dir, 'jest.config.json'))
    ? readJson(path.join(dir, 'jest.config.json'))
    : (readJson(path.join(dir, 'package.json')) as { jest?: unknown } | undefined)?.jest;
  const rootDir = (config as { rootDir?: unknown } | undefined)?.rootDir;
  return typeof rootDir === 'string' ? rootDir : undefined;
}

/** Jest takes the real path of rootDir; test paths under it compare equal only if ours is real too. */
function realpath(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch {
    return dir;
  }
}
