// `planFlakeguardConfig`: the user's Jest config split into the projects `stable` (the required check, quarantine
// left out) and `flaky` (only the quarantine, with retries), on flakeguard's runner, environment and reporter — a pure
// function of the config, the options and the facts config/index reads from disk and the command line.
//
// A user config with `projects`: each inline project P becomes two, named `stable` and `flaky` like the rest (so
// `--selectProjects flaky` selects every quarantined part; Jest allows repeated names); top-level options stay
// at the top. Projects given as paths cannot be split and are an error.

import * as path from 'path';
import type { Config } from 'jest';
import { FlakeguardError } from './errors';
import { outputPaths } from './outputPaths';
import { encodeEnvironmentOptions, type ProjectEnvironmentOptions, type ProjectFileSelection, type QuarantineEnvironmentOptions } from './environmentOptions';
import type { QuarantineReporterOptions } from './projectOptions';
import { describeExpired, expiredEntries, quarantineSelections, type Quarantine } from './quarantine';

export interface FlakeguardOptions {
  /** Retries of a failed test in `flaky` (`jest.retryTimes`); default 2. */
  retries?: number;
  /** Retries of a failed test in `stable`; default 0 (off). */
  stableRetries?: number;
  /** In `stable`, a test that passed only after a retry fails the run (Playwright's failOnFlakyTests); default false. */
  failOnFlaky?: boolean;
  /** quarantine.json, relative to rootDir; default `.flakeguard/quarantine.json`. */
  quarantineFile?: string;
  /** Runs kept in the flake history (passed to jest-flakeguard/reporter); default 200. */
  historyLimit?: number;
  /** Options of jest-flakeguard/reporter (outputDir, junit, github), or false to leave it out. */
  reporter?: Record<string, unknown> | false;
  /**
   * The project's root (quarantine entries are relative to it); default Jest's rootDir: `--rootDir`, else the
   * config's `rootDir` against the directory of the config Jest loads, else that directory.
   */
  rootDir?: string;
}

export const STABLE = 'stable';
export const FLAKY = 'flaky';
export const DEFAULT_RETRIES = 2;
export const RUNNER = 'jest-flakeguard/runner';
export const REPORTER = 'jest-flakeguard/reporter';

/** Everything `planFlakeguardConfig` needs from outside: the disk, the date, the command line. */
export interface ConfigFacts {
  rootDir: string;
  today: string;
  quarantineFile: string;
  quarantine: Quarantine;
  /** rootDir-relative files carrying `@flaky` → reason. */
  pragmaFiles: ReadonlyMap<string, string>;
  fileExists(file: string): boolean;
  /** The user's testEnvironment as flakeguard's environment takes it: 'node', 'jsdom' or an absolute module path. */
  resolveEnvironment(name: string | undefined, projectRootDir: string): string;
  /** Jest's command line: `--selectProjects flaky` with an empty quarantine must not fail for "no tests". */
  argv: readonly string[];
  /** Whether a `reporters` entry names jest-flakeguard/reporter (by that name or by a path Jest resolves to it). */
  isFlakeguardReporter(name: string): boolean;
  /**
   * The absolute rootDir Jest gives a project: `null` for the top-level config (what `--rootDir` or its own `rootDir`
   * say, against the config's directory); an inline project's own `rootDir` as jest-config reads it.
   */
  projectRoot(project: ProjectConfig | null): string;
  /** Absolute paths of this package's modules the config names. */
  modules: { environment: string; retrySetup: string; quarantineReporter: string; sequencer: string };
  /** The user's `testSequencer` as Jest resolves it (an absolute path). */
  resolveSequencer(name: string): string;
}

/** An inline project: Jest types them as records; they take the same options as a config. */
export type ProjectConfig = Config;

/**
 * Options Jest takes only at the top (jest-config's `initialOptions` minus `initialProjectOptions`, of 30.5 and of
 * 29.7, which also counts `collectCoverage`, `coverageProvider`, `silent`, `testTimeout` and `verbose`); inside a
 * project Jest warns about each. They stay at the top, where both Jests read them, and are left out of the projects.
 */
const GLOBAL_ONLY = new Set([
  'collectCoverage',
  'coverageProvider',
  'silent',
  'testTimeout',
  'verbose',
  'bail',
  'changedFilesWithAncestor',
  'changedSince',
  'ci',
  'collectTests',
  'coverageReporters',
  'coverageThreshold',
  'expand',
  'findRelatedTests',
  'forceExit',
  'json',
  'lastCommit',
  'listTests',
  'logHeapUsage',
  'maxConcurrency',
  'maxWorkers',
  'noStackTrace',
  'notify',
  'notifyMode',
  'onlyChanged',
  'onlyFailures',
  'outputFile',
  'passWithNoTests',
  'projects',
  'randomize',
  'replname',
  'reporters',
  'runTestsByPath',
  'showSeed',
  'testFailureExitCode',
  'testNamePattern',
  'testResultsProcessor',
  'testSequencer',
  'updateSnapshot',
  'useStderr',
  'watch',
  'watchAll',
  'watchPlugins',
  'watchman',
  'workerGracefulExitTimeout',
  'workerIdleMemoryLimit',
  'workerThreads',
]);

const projectOptions = (config: Config): ProjectConfig => Object.fromEntries(Object.entries(config).filter(([key]) => !GLOBAL_ONLY.has(key))) as ProjectConfig;

/** The split config: a pure function of the user's config, the options and the facts. */
export function planFlakeguardConfig(userConfig: Config, options: FlakeguardOptions, facts: ConfigFacts): Config {
  const retries = count(options.retries, 'retries', DEFAULT_RETRIES);
  const stableRetries = count(options.stableRetries, 'stableRetries', 0);
  // The history must keep at least the run it records; 0 would be a history that is always empty.
  const historyLimit = options.historyLimit === undefined ? undefined : count(options.historyLimit, 'historyLimit', 0, 1);

  const split = quarantineSelections(facts.quarantine, facts.rootDir, facts.pragmaFiles);
  const abs = (file: string) => path.join(facts.rootDir, ...file.split('/'));
  // Only files on disk reach Jest's patterns and our sequencer: an entry naming a file that is gone selects nothing,
  // and 100,000 of them as patterns (and in every worker's copy of the config) made a run 9× slower.
  const onDisk = (file: string): boolean => facts.fileExists(file);
  const flakyOnDisk = [...split.wholeFiles, ...split.partialFiles].filter(onDisk);
  const wholeFiles = split.wholeFiles.filter(onDisk).map(abs);
  const flakyFiles = flakyOnDisk.map(abs);
  const quarantine = (mode: QuarantineEnvironmentOptions['mode']): QuarantineEnvironmentOptions => ({
    mode,
    file: facts.quarantineFile,
    rootDir: facts.rootDir,
  });

  const { projects, reporters, displayName: _ignored, ...topLevel } = userConfig;
  const bases = projectBases(userConfig, facts);

  // Our outputs (last-run.json, findings) must never start a watch run: ignored by every project's watcher.
  const outputDir = outputPaths(facts.rootDir, reporterOutputDir(options.reporter, reporters, facts)).dir;
  const watchIgnore = `^${escape(outputDir + path.sep)}`;

  // The file selection again, in our test sequencer: a --testPathIgnorePatterns flag replaces the patterns above.
  const sequencer = userConfig.testSequencer ? { sequencer: facts.resolveSequencer(userConfig.testSequencer) } : {};
  const halves: ProjectConfig[] = [];
  for (const { config: base, root: projectRoot } of bases) {
    const environment = facts.resolveEnvironment(base.testEnvironment, projectRoot);
    const ignore = base.testPathIgnorePatterns ?? ['/node_modules/'];
    halves.push(
      half(base, STABLE, 'green', environment, quarantine('exclude'), stableRetries, facts, [...ignore, ...wholeFiles.map(exactPath)], watchIgnore, {
        mode: 'exclude',
        files: wholeFiles,
        ...sequencer,
      }),
      half(base, FLAKY, 'yellow', environment, quarantine('only'), retries, facts, [...ignore, onlyPaths(flakyFiles)], watchIgnore, {
        mode: 'only',
        files: flakyFiles,
        ...sequencer,
      }),
    );
  }

  const today = facts.today;
  const reporterOptions: QuarantineReporterOptions = {
    rootDir: facts.rootDir,
    quarantineFile: facts.quarantineFile,
    expired: expiredEntries(facts.quarantine, today).map(describeExpired),
    failOnFlaky: options.failOnFlaky ? [STABLE] : [],
  };
  const ourOptions: Record<string, unknown> = { ...(options.reporter || {}), ...(historyLimit !== undefined ? { historyLimit } : {}) };
  // The user may list jest-flakeguard/reporter already (under any spelling of its path): our options go into that entry.
  let listed = false;
  const userReporters = (reporters ?? ['default']).map((reporter) => {
    const [name, own = {}] = typeof reporter === 'string' ? [reporter] : reporter;
    if (!facts.isFlakeguardReporter(name)) return reporter;
    listed = true;
    for (const [key, value] of Object.entries(ourOptions)) {
      if (key in own && JSON.stringify(own[key]) !== JSON.stringify(value)) {
        throw oneLineError(
          'BAD_OPTION',
          `withFlakeguard's reporter option ${key} (${JSON.stringify(value)}) contradicts ${key} (${JSON.stringify(own[key])}) in your reporters entry for ${name}: set it in one place`,
        );
      }
    }
    return [name, { ...own, ...ourOptions }] as [string, Record<string, unknown>];
  });
  const ourReporter: NonNullable<Config['reporters']> = options.reporter === false || listed ? [] : [[REPORTER, ourOptions]];

  const config: Config = {
    ...topLevel,
    projects: halves,
    testSequencer: facts.modules.sequencer,
    reporters: [...userReporters, ...ourReporter, [facts.modules.quarantineReporter, reporterOptions as unknown as Record<string, unknown>]],
  };
  // Entries naming files that are gone (dangling) give `flaky` nothing to run either: the README promises they never fail a run.
  if (flakyOnDisk.length === 0 && userConfig.passWithNoTests === undefined && selectsOnly(facts.argv, FLAKY)) config.passWithNoTests = true;
  return config;
}

/**
 * The user's projects (their config itself when it has none), without the top-level-only options, each with the
 * rootDir Jest gives it. The top-level config's own `rootDir` is made absolute: Jest resolves it against the config
 * file, but an inline project's relative rootDir against the current directory.
 */
export function projectBases(userConfig: Config, facts: Pick<ConfigFacts, 'projectRoot'>): Array<{ config: ProjectConfig; root: string }> {
  const { projects, reporters: _reporters, displayName: _name, ...topLevel } = userConfig;
  if (projects === undefined) {
    const config = projectOptions(topLevel);
    const root = facts.projectRoot(null);
    if (config.rootDir !== undefined) config.rootDir = root;
    return [{ config, root }];
  }
  return projects.map((project) => {
    const config = projectOptions(inlineProject(project as string | ProjectConfig));
    return { config, root: facts.projectRoot(config) };
  });
}

function half(
  base: ProjectConfig,
  name: string,
  color: string,
  environment: string,
  quarantine: QuarantineEnvironmentOptions,
  retries: number,
  facts: ConfigFacts,
  testPathIgnorePatterns: string[],
  watchIgnore: string,
  files: ProjectFileSelection,
): ProjectConfig {
  const own: ProjectEnvironmentOptions = { environment, quarantine, files };
  if (retries > 0) own.retries = retries;
  return {
    ...base,
    displayName: { name, color: color as 'green' },
    runner: base.runner ?? RUNNER,
    testEnvironment: facts.modules.environment,
    testEnvironmentOptions: encodeEnvironmentOptions(base.testEnvironmentOptions, own),
    // Ours first: a user's own `jest.retryTimes` in a later setup file wins.
    setupFilesAfterEnv: [...(retries > 0 ? [facts.modules.retrySetup] : []), ...(base.setupFilesAfterEnv ?? [])],
    testPathIgnorePatterns,
    watchPathIgnorePatterns: [...(base.watchPathIgnorePatterns ?? []), watchIgnore],
  };
}

/** The reporter's outputDir as given to withFlakeguard or in the user's own reporters entry for it; undefined: the default. */
function reporterOutputDir(ours: FlakeguardOptions['reporter'], reporters: Config['reporters'], facts: ConfigFacts): string | undefined {
  const given = (options: unknown): string | undefined => {
    const dir = (options as { outputDir?: unknown } | undefined)?.outputDir;
    return typeof dir === 'string' && dir.trim() ? dir.replace(/^<rootDir>/, facts.rootDir) : undefined;
  };
  if (ours && given(ours)) return given(ours);
  for (const reporter of reporters ?? []) {
    if (Array.isArray(reporter) && facts.isFlakeguardReporter(reporter[0]) && given(reporter[1])) return given(reporter[1]);
  }
  return undefined;
}

function inlineProject(project: string | ProjectConfig): ProjectConfig {
  if (typeof project === 'string') {
    throw oneLineError(
      'BAD_OPTION',
      `withFlakeguard cannot split the project "${project}" given as a path: write it inline in "projects" (or call withFlakeguard in that config)`,
    );
  }
  const { displayName: _name, ...rest } = project;
  return rest;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A testPathIgnorePatterns entry ignoring exactly this file. */
const exactPath = (file: string): string => `^${escape(file)}$`;
/** A testPathIgnorePatterns entry ignoring every file but these (all of them when there are none). */
const onlyPaths = (files: string[]): string => (files.length === 0 ? '.*' : `^(?!(?:${files.map(escape).join('|')})$)`);

function count(value: number | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw oneLineError('BAD_OPTION', `withFlakeguard option ${name} must be a whole number ≥ ${min}, got ${String(value)}`);
  return value;
}

/** Whether Jest's command line selects only projects named `name` (`--selectProjects flaky`). */
export function selectsOnly(argv: readonly string[], name: string): boolean {
  const selected: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const inline = /^--select(?:Projects|-projects)=(.*)$/.exec(arg);
    if (inline) selected.push(inline[1]!);
    else if (arg === '--selectProjects' || arg === '--select-projects') {
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) selected.push(argv[++i]!);
    }
  }
  return selected.length > 0 && selected.every((s) => s === name);
}

/** Jest prints a config error's stack: ours is the one line. */
export function oneLineError(code: 'BAD_OPTION' | 'BAD_QUARANTINE', message: string, file?: string): FlakeguardError {
  const error = new FlakeguardError(code, message, file);
  error.stack = `jest-flakeguard: ${error.message}`;
  return error;
}
