// `withFlakeguard(config, options)`: reads what the split needs from disk, the date and the command line (the
// quarantine, `@flaky` files, Jest's rootDir, where our modules are) and hands it to core/configPlan's pure
// `planFlakeguardConfig`, which splits the user's Jest config into the projects `stable` and `flaky`.

import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Config } from 'jest';
import { oneLineError, planFlakeguardConfig, projectBases, REPORTER, type FlakeguardOptions, type ProjectConfig } from '../core/configPlan';
import { FlakeguardError } from '../core/errors';
import { isoDay, QUARANTINE_FILE, type Quarantine } from '../core/quarantine';
import { assertSupportedJest, atLeast, jestDocblock, jestVersion, requireFromJest, RUNNER_TUPLE_JEST } from '../io/jestHost';
import { PragmaCache } from '../io/pragmaCache';
import { readQuarantine } from '../io/quarantineFile';
import { nestedConfigError, ORIGINAL, readPathProjects, type Original } from './pathProjects';
import { configFileOnStack, jestConfigDir, jestRootDir } from './projectRoot';

// The public entry (`jest-flakeguard`, `jest-flakeguard/config`) keeps naming the planner's types and constants.
export { DEFAULT_RETRIES, FLAKY, planFlakeguardConfig, STABLE, selectsOnly, projectBases, type ConfigFacts, type FlakeguardOptions } from '../core/configPlan';

// ---- reading the facts ---------------------------------------------------------------------------------------

const BUILTIN_ENVIRONMENTS: Record<string, string> = {
  node: 'node',
  'jest-environment-node': 'node',
  'jest-flakeguard/environment': 'node',
  jsdom: 'jsdom',
  'jest-environment-jsdom': 'jsdom',
  'jest-flakeguard/environment/jsdom': 'jsdom',
};

function resolveEnvironment(name: string | undefined, projectRootDir: string): string {
  if (name === undefined) return 'node';
  const builtin = BUILTIN_ENVIRONMENTS[name];
  if (builtin) return builtin;
  const given = name.replace(/^<rootDir>/, projectRootDir);
  const candidates = given.startsWith('.') || path.isAbsolute(given) ? [path.resolve(projectRootDir, given)] : [`jest-environment-${given}`, given];
  for (const candidate of candidates) {
    try {
      return require.resolve(candidate, { paths: [projectRootDir] });
    } catch {
      // try the next
    }
  }
  throw oneLineError('BAD_OPTION', `cannot find testEnvironment "${name}" from ${projectRootDir}`);
}

/** jest-config's resolveSequencer: `<rootDir>` replaced, a path against rootDir, else `jest-sequencer-<name>` or `<name>`. */
function resolveSequencer(name: string, rootDir: string): string {
  const given = name.replace(/^<rootDir>/, rootDir);
  const candidates = given.startsWith('.') || path.isAbsolute(given) ? [path.resolve(rootDir, given)] : [`jest-sequencer-${given}`, given];
  for (const candidate of candidates) {
    try {
      return require.resolve(candidate, { paths: [rootDir] });
    } catch {
      // try the next
    }
  }
  throw oneLineError('BAD_OPTION', `cannot find testSequencer "${name}" from ${rootDir}`);
}

/** Whether Jest, resolving reporter `name` from rootDir (`<rootDir>` replaced), would load the module `target`. */
function resolvesTo(name: string, rootDir: string, target: string): boolean {
  try {
    const real = (file: string) => fs.realpathSync(file);
    return real(require.resolve(name.replace(/^<rootDir>/, rootDir), { paths: [rootDir] })) === real(target);
  } catch {
    return false; // 'default', 'summary', or a reporter not installed: not ours
  }
}

const SKIPPED_DIRS = new Set(['node_modules', 'coverage', 'dist', 'build']);
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

/** Where to look for `@flaky` files: directories, and which files in them Jest would run as tests. */
export interface PragmaScan {
  roots: readonly string[];
  isTest?: (file: string) => boolean;
}

/**
 * Jest's own test-file rule for a project (jest-config's defaults, jest-util's glob matcher, as SearchSource applies
 * them): `testMatch` globs or `testRegex`, minus `testPathIgnorePatterns`.
 */
export function testFileMatcher(config: ProjectConfig, root: string): (file: string) => boolean {
  const withRoot = (pattern: string) => pattern.replace(/<rootDir>/g, root);
  const jestConfig = requireFromJest<{ defaults: { testMatch: string[]; testPathIgnorePatterns: string[] } }>('jest-config');
  const { globsToMatcher, replacePathSepForGlob } = requireFromJest<typeof import('jest-util')>('jest-util');
  const regexes = (config.testRegex === undefined ? [] : Array.isArray(config.testRegex) ? config.testRegex : [config.testRegex]).map((r) => new RegExp(r));
  const testMatch = config.testMatch ?? jestConfig.defaults.testMatch;
  const globs = regexes.length > 0 ? null : globsToMatcher((Array.isArray(testMatch) ? testMatch : [testMatch]).map(withRoot));
  const ignored = (config.testPathIgnorePatterns ?? jestConfig.defaults.testPathIgnorePatterns).map((p) => new RegExp(withRoot(p)));
  return (file) => {
    if (ignored.some((pattern) => pattern.test(file))) return false;
    return globs ? globs(replacePathSepForGlob(file)) : regexes.some((pattern) => pattern.test(file));
  };
}

/**
 * Test files quarantined by `@flaky`: every JavaScript/TypeScript file under the scans' roots that Jest would run
 * as a test and whose leading docblock says `@flaky` (node_modules, dot directories and build output skipped),
 * read through the pragma cache so a warm run only stats files. A file that cannot be read or parsed is skipped.
 */
export function findFlakyPragmaFiles(rootDir: string, scans: ReadonlyArray<string | PragmaScan>, cacheDirectory: string | undefined): Map<string, string> {
  const cache = new PragmaCache(cacheDirectory);
  const found = new Map<string, string>();
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) visit(full);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') && isTest(full)) {
        let flaky: string | undefined;
        try {
          flaky = cache.get(full).flaky;
        } catch {
          continue; // unreadable, or a docblock jest-docblock cannot parse: Jest reports that file itself
        }
        if (flaky !== undefined) found.set(path.relative(rootDir, full).split(path.sep).join('/'), flaky);
      }
    }
  };
  let isTest: (file: string) => boolean = () => true;
  for (const scan of scans) {
    const { roots, isTest: matcher } = typeof scan === 'string' ? { roots: [scan], isTest: undefined } : scan;
    isTest = matcher ?? (() => true);
    for (const root of roots) visit(path.resolve(rootDir, root.replace(/^<rootDir>/, rootDir)));
  }
  cache.save();
  return found;
}

/** `runner: [path, options]` exists from Jest 30.5: before it, jest-config's validation error is a page; ours is a line. */
function refuseRunnerTupleBefore305(userConfig: Config): void {
  const projects = ((userConfig.projects ?? []) as Array<string | ProjectConfig>).filter((p): p is ProjectConfig => typeof p !== 'string');
  if (![userConfig, ...projects].some((p) => Array.isArray(p.runner))) return;
  let version: string;
  try {
    version = jestVersion('jest-config');
  } catch {
    return;
  }
  if (!atLeast(version, RUNNER_TUPLE_JEST)) {
    throw oneLineError(
      'BAD_OPTION',
      `the runner tuple runner: ['jest-flakeguard/runner', {…}] needs Jest ${RUNNER_TUPLE_JEST} or later, and this is Jest ${version}: write runner: 'jest-flakeguard/runner'`,
    );
  }
}

/** Files with test-level entries whose own `@jest-environment` replaces ours: there the entries cannot apply. */
function warnAboutOwnEnvironments(rootDir: string, files: readonly string[]): void {
  for (const file of files) {
    try {
      const { extract, parse } = jestDocblock();
      const pragmas = parse(extract(fs.readFileSync(path.join(rootDir, ...file.split('/')), 'utf8').slice(0, 16 * 1024)));
      if ('jest-environment' in pragmas) {
        process.stderr.write(
          `jest-flakeguard: ${file} sets @jest-environment, which replaces flakeguard's environment: its test-level quarantine entries cannot apply; quarantine the whole file\n`,
        );
      }
    } catch {
      // a missing file is reported as a dangling entry
    }
  }
}

/** `jest.config.ts`: `export default withFlakeguard({ ...your config }, { retries: 2 })`. */
export function withFlakeguard(givenConfig: Config = {}, options: FlakeguardOptions = {}): Config {
  assertSupportedJest('jest-config');
  refuseRunnerTupleBefore305(givenConfig);
  // Not the current directory: `cd test && jest` loads ../jest.config.js, and its quarantine must still apply.
  const cwd = process.cwd();
  const configFile = configFileOnStack();
  if (configFile && runByJestBinary()) {
    const nested = nestedConfigError(configFile, jestConfigDir({ cwd, argv: process.argv }));
    if (nested) throw oneLineError('BAD_OPTION', nested);
  }
  const topRoot = jestRootDir({ cwd, argv: process.argv, configFile, configRootDir: givenConfig.rootDir });
  // A monorepo root's projects given as paths: read here, so each package can be split like an inline project.
  const userConfig: Config = givenConfig.projects?.some((p) => typeof p === 'string')
    ? { ...givenConfig, projects: readPathProjects(givenConfig.projects as Array<string | Config>, topRoot) }
    : givenConfig;
  const jestRoot = jestRootDir({ cwd, argv: process.argv, configFile, configRootDir: userConfig.rootDir });
  const configDir = jestConfigDir({ cwd, argv: process.argv, configFile });
  const projectRoot = (project: ProjectConfig | null): string => {
    if (project === null) return jestRoot;
    const given = project.rootDir;
    if (given === undefined) return configDir;
    return given.startsWith('<rootDir>') ? path.resolve(configDir, `./${given.slice('<rootDir>'.length)}`) : path.resolve(cwd, given);
  };
  const rootDir = options.rootDir ? path.resolve(options.rootDir) : jestRoot;
  const quarantineFile = path.resolve(rootDir, options.quarantineFile ?? QUARANTINE_FILE);
  let quarantine: Quarantine;
  try {
    quarantine = readQuarantine(quarantineFile);
  } catch (error) {
    if (error instanceof FlakeguardError) error.stack = `jest-flakeguard: ${error.message}`;
    throw error;
  }
  // Only the files Jest would run as tests, under each project's roots.
  const scans = projectBases(userConfig, { projectRoot }).map(({ config, root }) => ({
    roots: (config.roots ?? ['<rootDir>']).map((r) => path.resolve(root, r.replace(/^<rootDir>/, root))),
    isTest: testFileMatcher(config, root),
  }));
  // One pragma cache per project root, so the cache holds only this project's files.
  const cacheDirectory = userConfig.cacheDirectory
    ? path.resolve(rootDir, userConfig.cacheDirectory)
    : path.join(os.tmpdir(), `jest-flakeguard-config-${createHash('sha1').update(rootDir).digest('hex').slice(0, 12)}`);
  const pragmaFiles = findFlakyPragmaFiles(rootDir, scans, cacheDirectory);
  warnAboutOwnEnvironments(rootDir, [...new Set(quarantine.entries.filter((e) => e.titles && !pragmaFiles.has(e.file)).map((e) => e.file))]);
  const planned = planFlakeguardConfig(userConfig, options, {
    rootDir,
    today: isoDay(new Date()),
    quarantineFile,
    quarantine,
    pragmaFiles,
    fileExists: (file) => fs.existsSync(path.join(rootDir, ...file.split('/'))),
    resolveEnvironment,
    isFlakeguardReporter: (name) => name === REPORTER || resolvesTo(name, rootDir, path.join(__dirname, '..', 'reporter', 'index.js')),
    argv: process.argv,
    projectRoot,
    modules: {
      environment: path.join(__dirname, 'environment.js'),
      retrySetup: path.join(__dirname, 'retrySetup.js'),
      quarantineReporter: path.join(__dirname, 'quarantineReporter.js'),
      sequencer: path.join(__dirname, 'quarantineSequencer.js'),
    },
    resolveSequencer: (name) => resolveSequencer(name, jestRoot),
  });
  // A root config reading this one as its project takes back what it was given (see pathProjects).
  Object.defineProperty(planned, ORIGINAL, { value: { userConfig: givenConfig } satisfies Original, enumerable: false });
  return planned;
}

/** Whether this process is Jest's command line (not runCLI from a script of the user's, which may load any config). */
function runByJestBinary(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    const real = fs.realpathSync(script);
    return /[\\/](?:jest|jest-cli)[\\/]bin[\\/]jest(?:\.js)?$/.test(real);
  } catch {
    return false;
  }
}

export default withFlakeguard;
