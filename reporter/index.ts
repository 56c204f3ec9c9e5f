// `reporters: ['default', ['jest-flakeguard/reporter', {outputDir: '.flakeguard'}]]`: the rerun manifest, JUnit,
// GitHub Actions output, and the short blocks after Jest's summary. Thin: Jest's hooks feed a RunCollector; the
// files are functions of the run record (core/runRecord, core/manifest, core/junit, core/githubOutput).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AggregatedResult, Test, TestCaseResult, TestContext, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import { oneLine } from '../core/errors';
import { inline } from '../core/safeText';
import { assertSupportedJest } from '../io/jestHost';
import { commandPrefix, detectPackageManager } from '../io/packageManager';
import { createFindingsDir, findingsEnv, takeFindings } from '../io/findingsChannel';
import { githubAnnotations, githubStepSummary } from '../core/githubOutput';
import { junitXml } from '../core/junit';
import { type Manifest, type ManifestNotRun } from '../core/manifest';
import { writeManifest } from '../io/manifestFile';
import { plannedTests, resetPlannedTests, type PlannedTest } from '../io/plannedTests';
import { defaultRunId, runOutcomesFromFiles } from '../core/history';
import { recordRun } from '../io/historyFile';
import { buildManifest, filesForHistory, type FileRecord, type NotFoundRecord, type RunRecord } from '../core/runRecord';
import { targetsNotFound } from '../core/rerunPlan';
import { type Selection } from '../core/selection';
import { receivedSelection } from '../io/selectionFile';
import { sweepOrphanTemps, writeFileAtomic } from '../io/atomicWrite';
import { recordInvocation, type Invocation } from '../core/invocation';
import { relativeFile, RunCollector } from './collect';
import { resolveOptions, type ReporterOptions, type ResolvedOptions } from './options';
import { findingsBlock, rerunCommand, summaryBlock } from './terminal';
import { printAfterJestSummary } from './afterSummary';

export type { ReporterOptions } from './options';

/** One line whatever the message quotes (a path, an error from a file): core/safeText. */
const warn = (message: string): void => {
  process.stderr.write(`flakeguard: ${inline(message)}\n`);
};

function jestVersion(rootDir: string): string {
  for (const name of ['jest/package.json', 'jest-runner/package.json']) {
    try {
      return (require(require.resolve(name, { paths: [rootDir, __dirname] })) as { version: string }).version;
    } catch {
      // try the next
    }
  }
  return 'unknown';
}

/** How a run ended, as far as the manifest cares. `totalFiles` is Jest's count, unknown for a checkpoint. */
interface RunEnd {
  interrupted: boolean;
  otherFailure: boolean;
  totalFiles: number | null;
}

function byProjectAndFile(a: { project: string | null; file: string }, b: { project: string | null; file: string }): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const [pa, pb] = [a.project ?? '', b.project ?? ''];
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

const CHECKPOINT_INTERVAL_MS = 1000;

const displayName = (test: Test): string | null => test.context.config.displayName?.name ?? null;

export default class FlakeguardReporter {
  private readonly options: ResolvedOptions;
  /** How flakeguard runs under this project's package manager (`npx flakeguard`, `pnpm exec flakeguard`, …). */
  private readonly command: string;
  private readonly selection: Selection | null;
  /** Run-scoped directory the environment writes findings into (inherited by workers through the env var). */
  private readonly findingsDir: string | null;
  private collector: RunCollector;
  private startedAt = new Date();
  private warnedWatch = false;
  /** Checkpoints of the manifest during a run (never in watch mode, see the constructor). */
  private readonly checkpointing: boolean;
  private lastCheckpointAt: number | null = null;
  /** Time between checkpoints: a second, or more when one checkpoint costs more than 1/20 of that. */
  private checkpointInterval = CHECKPOINT_INTERVAL_MS;
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** A manifest that cannot be written is warned about once per run, checkpoints and final write together. */
  private manifestWarned = false;
  /** Under `flakeguard rerun`: what the rerun named and this run did not find fails the run (Jest asks after onRunComplete). */
  private lastError: Error | undefined;
  /** How this Jest was started, for the manifest: a rerun repeats it (core/invocation). */
  private readonly invocation: Invocation | null;

  constructor(
    private readonly globalConfig: Config.GlobalConfig,
    options?: ReporterOptions,
  ) {
    assertSupportedJest('@jest/reporters');
    this.options = resolveOptions(options, globalConfig.rootDir, process.env, warn);
    this.command = commandPrefix(detectPackageManager(process.env, globalConfig.rootDir));
    // What a Jest killed mid-write left (temp files of the manifest, history, JUnit, lock): gone before we write.
    const junitDir = this.options.junitPath ? [path.dirname(this.options.junitPath)] : [];
    for (const dir of new Set([this.options.paths.dir, this.options.paths.history, ...junitDir])) sweepOrphanTemps(dir);
    this.selection = loadSelection();
    this.findingsDir = makeFindingsDir();
    if (this.findingsDir) {
      Object.assign(process.env, findingsEnv(this.findingsDir));
      // A run that never starts (no tests found, a config error) still leaves nothing behind.
      removeAtExit(this.findingsDir);
    }
    this.collector = new RunCollector(globalConfig.rootDir, this.selection);
    this.invocation = recordInvocation({
      argv: process.argv,
      execArgv: process.execArgv,
      nodeOptions: process.env.NODE_OPTIONS,
      cwd: process.cwd(),
      rootDir: globalConfig.rootDir,
      outputDir: this.options.paths.dir,
    });
    // Watch mode survives Ctrl-C of a run (only quitting ends it) and may watch the manifest: no checkpoints.
    this.checkpointing = !globalConfig.watch && !globalConfig.watchAll;
  }

  onRunStart(): void {
    // Watch mode: every run starts from nothing, the runner's list of planned files included.
    try {
      resetPlannedTests();
    } catch {
      // a registry this version cannot read: readPlannedTests warns about it when the run ends
    }
    this.startedAt = new Date();
    this.collector = new RunCollector(this.globalConfig.rootDir, this.selection);
    if (this.findingsDir) fs.mkdirSync(this.findingsDir, { recursive: true });
    this.cancelCheckpoint();
    this.lastCheckpointAt = null;
    this.checkpointInterval = CHECKPOINT_INTERVAL_MS;
    this.manifestWarned = false;
    this.lastError = undefined;
  }

  onTestFileStart(test: Test): void {
    this.collector.fileStarted(displayName(test), test.path);
    // The runner has published its plan by now: the first checkpoint names every planned file as not run.
    if (this.lastCheckpointAt === null) this.writeCheckpoint();
  }

  onTestCaseResult(test: Test, result: TestCaseResult): void {
    this.collector.attemptFinished(test.path, result);
  }

  onTestFileResult(test: Test, result: TestResult): void {
    // A file that failed to load has no displayName in its result; its Test always knows the project.
    const project = displayName(test) ?? result.displayName?.name ?? null;
    this.collector.fileFinished(project, result, this.findingsDir ? takeFindings(this.findingsDir, result.testFilePath, project, (error) => warn(error.message)) : []);
    this.scheduleCheckpoint();
  }

  onRunComplete(contexts: Set<TestContext>, aggregated: AggregatedResult): void {
    this.cancelCheckpoint();
    // Watch mode on a clean tree starts with no tests and no projects, so nothing can say whether Jest watches
    // our files: write nothing. A write there would start a run with no tests, which would write again, forever.
    if ((this.globalConfig.watch || this.globalConfig.watchAll) && contexts.size === 0) return;
    const watchedBy = this.manifestWatchedBy(contexts);
    if (watchedBy && !this.warnedWatch) {
      this.warnedWatch = true;
      warn(
        `Jest watches ${relativeToCwd(this.options.manifestPath)} (project ${watchedBy}): writing it would start another run, so watch mode ` +
          `leaves it alone; add watchPathIgnorePatterns: ['<rootDir>/${relativeToRoot(this.globalConfig.rootDir, this.options.outputDir)}/'] to the config`,
      );
    }
    // Code under test that set process.exitCode (in band it is Jest's own process) makes Jest exit non-zero with every
    // test passed: the manifest says failed too, and the environment's worker-state finding says where it was set.
    const exitCodeSet = typeof process.exitCode === 'number' && process.exitCode !== 0;
    this.report(
      { interrupted: aggregated.wasInterrupted, otherFailure: aggregated.snapshot.failure || exitCodeSet, totalFiles: aggregated.numTotalTestSuites },
      watchedBy === null,
    );
  }

  /**
   * In watch mode Jest reruns on any change to a watched file — `.json` under a project's roots included — so
   * writing the manifest there would loop forever. Returns the project that would see it, or null.
   */
  private manifestWatchedBy(contexts: Set<TestContext>): string | null {
    if (!this.globalConfig.watch && !this.globalConfig.watchAll) return null;
    const file = this.options.manifestPath;
    for (const { config } of contexts) {
      if (!config.roots.some((root) => file.startsWith(root + path.sep))) continue;
      if (!config.moduleFileExtensions.includes('json')) continue;
      const ignored = [...config.watchPathIgnorePatterns, ...config.modulePathIgnorePatterns].some((pattern) => new RegExp(pattern).test(file));
      if (!ignored) return config.displayName?.name ?? config.rootDir;
    }
    return null;
  }

  /**
   * Ctrl-C kills Jest without calling onRunComplete (Jest installs no SIGINT handler, and neither may we: a
   * listener would swallow the signal, and a test stuck in a synchronous loop would never let it run). So the
   * manifest on disk is kept up to date during the run as an "interrupted" checkpoint — every file without a
   * result is notRun, so a rerun covers it — and onRunComplete replaces it with the final one. Throttled: building
   * the manifest walks every result so far, so at most one checkpoint a second (fewer when a checkpoint takes
   * over 50 ms: their cost stays under 5% of the run), the last one deferred by a timer.
   */
  private scheduleCheckpoint(): void {
    if (!this.checkpointing || this.checkpointTimer || this.lastCheckpointAt === null) return;
    const wait = this.lastCheckpointAt + this.checkpointInterval - Date.now();
    if (wait <= 0) {
      this.writeCheckpoint();
      return;
    }
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined;
      this.writeCheckpoint();
    }, wait);
    this.checkpointTimer.unref();
  }

  private cancelCheckpoint(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
  }

  private writeCheckpoint(): void {
    const started = Date.now();
    this.lastCheckpointAt = started;
    if (!this.checkpointing) return;
    try {
      const manifest = buildManifest(this.runRecord({ interrupted: true, otherFailure: false, totalFiles: null }));
      this.writeManifestFile(manifest);
    } catch (error) {
      if (!this.manifestWarned) warn(`could not record the run so far (${oneLine(error)}); Jest's results are unaffected`);
      this.manifestWarned = true;
    }
    this.checkpointInterval = Math.max(CHECKPOINT_INTERVAL_MS, 20 * (Date.now() - started));
  }

  /** Writes the manifest; a failure is one warning per run, however many checkpoints fail after it. */
  private writeManifestFile(manifest: Manifest): boolean {
    try {
      writeManifest(this.options.manifestPath, manifest);
      return true;
    } catch (error) {
      if (!this.manifestWarned) warn(`cannot write ${relativeToCwd(this.options.manifestPath)} (${oneLine(error)}); the run's results and exit code are unaffected`);
      this.manifestWarned = true;
      return false;
    }
  }

  /** Jest fails the run when this returns an error: a rerun target not found is never a pass. */
  getLastError(): Error | undefined {
    return this.lastError;
  }

  private report(end: RunEnd, withManifest: boolean): void {
    try {
      const run = this.runRecord(end);
      const missed = run.notFound?.length ?? 0;
      if (missed > 0) this.lastError = new Error(`jest-flakeguard: ${missed} test(s) or file(s) flakeguard rerun named were not found in their project`);
      const manifest = buildManifest(run);
      const manifestShown = relativeToCwd(this.options.manifestPath);
      this.writeOutputs(run, manifest, manifestShown, withManifest);
      printAfterJestSummary(findingsBlock(manifest.findings, manifestShown) + summaryBlock(manifest, manifestShown, undefined, this.command));
    } catch (error) {
      warn(`could not report this run (${oneLine(error)}); Jest's results are unaffected`);
    } finally {
      if (this.findingsDir) fs.rmSync(this.findingsDir, { recursive: true, force: true });
    }
  }

  private runRecord(end: RunEnd): RunRecord {
    // The runner's list of this run's files (reset in onRunStart, so watch mode's earlier runs are not in it).
    const watching = this.globalConfig.watch || this.globalConfig.watchAll;
    const planned = readPlannedTests();
    const notRun = this.collector.notRun(planned);
    const unnamed = end.totalFiles === null ? 0 : end.totalFiles - this.collector.reportedFiles - notRun.length;
    if (!planned && !watching && unnamed > 0 && !end.interrupted) {
      warn(`${unnamed} test file(s) never ran and cannot be named without runner: 'jest-flakeguard/runner'; a rerun will not cover them`);
    }
    const shard = this.globalConfig.shard;
    const files = [...this.collector.files].sort(byProjectAndFile);
    return {
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      jestVersion: jestVersion(this.globalConfig.rootDir),
      shard: shard ? `${shard.shardIndex}/${shard.shardCount}` : null,
      seed: this.globalConfig.seed ?? null,
      interrupted: end.interrupted,
      otherFailure: end.otherFailure,
      // Workers finish in any order: sorted, the same run always writes the same files.
      files,
      notRun: notRun.sort(byProjectAndFile),
      findings: [...this.collector.findings].sort(byProjectAndFile),
      // An interrupted run did not get to look for everything.
      notFound: end.interrupted ? [] : this.notFound(files, notRun),
      invocation: this.invocation,
    };
  }

  /**
   * Under `flakeguard rerun`: the tests and files its selection named that this run did not find, in the target's
   * own project. A file the runner was handed and never reached is `notRun`; every other miss is not found.
   */
  private notFound(files: readonly FileRecord[], notRun: readonly ManifestNotRun[]): NotFoundRecord[] {
    const targets = this.selection?.targets;
    if (!targets || targets.length === 0) return [];
    const rootDir = this.globalConfig.rootDir;
    const results = files.map((file) => ({
      testPath: path.resolve(rootDir, file.file),
      project: file.project,
      failedToRun: file.error !== null && file.tests.length === 0,
      tests: file.tests,
    }));
    const unreached = new Set(notRun.map((entry) => JSON.stringify([entry.project, path.resolve(rootDir, entry.file)])));
    const found = targetsNotFound(targets, results, {
      fileExists: fs.existsSync,
      notReached: (testPath, project) => unreached.has(JSON.stringify([project, testPath])),
    });
    return found.map(({ target, why }) => ({
      project: target.project,
      file: target.file ?? relativeFile(rootDir, target.testPath),
      titles: target.titles,
      why,
    }));
  }

  /** Each file on its own: one that cannot be written is a one-line warning, never a failed run. */
  private writeOutputs(run: RunRecord, manifest: Manifest, manifestShown: string, withManifest: boolean): void {
    const manifestWritten = withManifest && this.writeManifestFile(manifest);
    // The flake history lives beside the manifest: where the manifest cannot go, its one warning covers both.
    if (manifestWritten && !run.interrupted) {
      attempt('cannot record the flake history', () =>
        recordRun(this.options.paths.history, runOutcomesFromFiles(defaultRunId(run.startedAt), run.startedAt, filesForHistory(run.files)), {
          limit: this.options.historyLimit,
        }),
      );
    }
    const junitPath = this.options.junitPath;
    if (junitPath) {
      const write = () => writeFileAtomic(junitPath, junitXml(run.files, { name: 'jest', timestamp: run.startedAt }));
      // Beside a manifest that could not be written it fails the same way: that warning already said so.
      const alreadyWarned = this.manifestWarned && !path.relative(this.options.outputDir, junitPath).startsWith('..');
      if (alreadyWarned) attempt(null, write);
      else attempt(`cannot write the JUnit report ${relativeToCwd(junitPath)}`, write);
    }
    if (this.options.github) {
      const workspace = process.env.GITHUB_WORKSPACE;
      const rootDir = this.globalConfig.rootDir;
      const filePath = (file: string) => (workspace ? path.relative(workspace, path.resolve(rootDir, file)).split(path.sep).join('/') : file);
      const annotations = githubAnnotations(run.files, { filePath });
      // Workflow commands belong on stdout, unless `jest --json` prints its report there: never corrupt it.
      const stream = this.globalConfig.json && !this.globalConfig.outputFile ? process.stderr : process.stdout;
      if (annotations.length > 0) stream.write(`${annotations.join('\n')}\n`);
      const summaryFile = process.env.GITHUB_STEP_SUMMARY;
      if (summaryFile) {
        attempt('cannot append to $GITHUB_STEP_SUMMARY', () => fs.appendFileSync(summaryFile, githubStepSummary(manifest, rerunCommand(manifestShown, false, this.command))));
      }
    }
  }
}

/** Runs `action`; a failure is a one-line warning (none when `what` is null). Returns whether it succeeded. */
function attempt(what: string | null, action: () => void): boolean {
  try {
    action();
    return true;
  } catch (error) {
    if (what !== null) warn(`${what} (${oneLine(error)}); the run's results and exit code are unaffected`);
    return false;
  }
}

function relativeToRoot(rootDir: string, dir: string): string {
  return path.relative(rootDir, dir).split(path.sep).join('/') || '.';
}

function relativeToCwd(file: string): string {
  return relativeFile(process.cwd(), file);
}

/** Directories removed when the process exits. One listener however many runs (watch mode makes a reporter per run). */
const removedAtExit = new Set<string>();
function removeAtExit(dir: string): void {
  if (removedAtExit.size === 0) process.once('exit', () => removedAtExit.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  removedAtExit.add(dir);
}

function makeFindingsDir(): string | null {
  try {
    return createFindingsDir(os.tmpdir());
  } catch (error) {
    warn(`no directory for hygiene findings (${oneLine(error)}); hygiene findings are not reported this run`);
    return null;
  }
}

/** The runner's plan of this run, or undefined (with a warning) when the planned-tests channel cannot be read. */
function readPlannedTests(): PlannedTest[] | undefined {
  try {
    return plannedTests();
  } catch (error) {
    warn(oneLine(error));
    return undefined;
  }
}

function loadSelection(): Selection | null {
  try {
    return receivedSelection();
  } catch (error) {
    warn(oneLine(error));
    return null;
  }
}
