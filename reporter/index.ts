// `reporters: ['default', ['jest-flakeguard/reporter', {outputDir: '.flakeguard'}]]`: the rerun manifest, JUnit,
// GitHub Actions output, and the short blocks after Jest's summary. A dispatcher: it reads the options and hands each
// of Jest's events to the module that owns one job (collect, checkpoint, watchLoop, findingsDir, record, the outputs).

import type { AggregatedResult, Test, TestCaseResult, TestContext, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import * as path from 'path';
import { oneLine } from '../core/errors';
import { recordInvocation } from '../core/invocation';
import { buildManifest, type RunRecord } from '../core/runRecord';
import { sweepOrphanTemps } from '../io/atomicWrite';
import { assertSupportedJest } from '../io/jestHost';
import { commandPrefix, detectPackageManager } from '../io/packageManager';
import { resetPlannedTests } from '../io/plannedTests';
import { printAfterJestSummary } from './afterSummary';
import { ManifestCheckpoints } from './checkpoint';
import { RunCollector } from './collect';
import { FindingsDir } from './findingsDir';
import { writeGithubOutput } from './githubOutput';
import { writeHistory } from './historyWriter';
import { writeJunit } from './junitOutput';
import { ManifestOutput } from './manifestOutput';
import { resolveOptions, type ReporterOptions, type ResolvedOptions } from './options';
import { CHECKPOINT, runRecord, type RunEnd, type RunFacts } from './record';
import { loadSelection, notFoundError } from './rerunTargets';
import { findingsBlock, summaryBlock } from './terminal';
import { watchMode, WatchLoopGuard } from './watchLoop';
import { warn } from './warnings';

export type { ReporterOptions } from './options';

const displayName = (test: Test): string | null => test.context.config.displayName?.name ?? null;

export default class FlakeguardReporter {
  private readonly options: ResolvedOptions;
  /** How flakeguard runs under this project's package manager (`npx flakeguard`, `pnpm exec flakeguard`, …). */
  private readonly command: string;
  private readonly facts: RunFacts;
  private readonly findings: FindingsDir;
  private readonly manifest: ManifestOutput;
  private readonly checkpoints: ManifestCheckpoints;
  private readonly watchLoop: WatchLoopGuard;
  private collector: RunCollector;
  private startedAt = new Date();
  /** Under `flakeguard rerun`: what the rerun named and this run did not find fails the run (Jest asks after onRunComplete). */
  private lastError: Error | undefined;

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
    const selection = loadSelection();
    this.findings = new FindingsDir();
    this.collector = new RunCollector(globalConfig.rootDir, selection);
    const invocation = recordInvocation({
      argv: process.argv,
      execArgv: process.execArgv,
      nodeOptions: process.env.NODE_OPTIONS,
      cwd: process.cwd(),
      rootDir: globalConfig.rootDir,
      outputDir: this.options.paths.dir,
    });
    this.facts = { globalConfig, selection, invocation };
    this.manifest = new ManifestOutput(this.options.manifestPath);
    this.checkpoints = new ManifestCheckpoints(!watchMode(globalConfig), this.manifest, () => buildManifest(this.record(CHECKPOINT)));
    this.watchLoop = new WatchLoopGuard(globalConfig, this.options.manifestPath, this.options.outputDir);
  }

  onRunStart(): void {
    // Watch mode: every run starts from nothing, the runner's list of planned files included.
    try {
      resetPlannedTests();
    } catch {
      // a registry this version cannot read: readPlannedTests warns about it when the run ends
    }
    this.startedAt = new Date();
    this.collector = new RunCollector(this.globalConfig.rootDir, this.facts.selection);
    this.findings.runStarted();
    this.checkpoints.runStarted();
    this.manifest.runStarted();
    this.lastError = undefined;
  }

  onTestFileStart(test: Test): void {
    this.collector.fileStarted(displayName(test), test.path);
    this.checkpoints.fileStarted();
  }

  onTestCaseResult(test: Test, result: TestCaseResult): void {
    this.collector.attemptFinished(test.path, result);
  }

  onTestFileResult(test: Test, result: TestResult): void {
    // A file that failed to load has no displayName in its result; its Test always knows the project.
    const project = displayName(test) ?? result.displayName?.name ?? null;
    this.collector.fileFinished(project, result, this.findings.take(result.testFilePath, project));
    this.checkpoints.fileFinished();
  }

  onRunComplete(contexts: Set<TestContext>, aggregated: AggregatedResult): void {
    this.checkpoints.cancel();
    if (this.watchLoop.blind(contexts)) return;
    const withManifest = this.watchLoop.mayWriteManifest(contexts);
    // Code under test that set process.exitCode (in band it is Jest's own process) makes Jest exit non-zero with every
    // test passed: the manifest says failed too, and the environment's worker-state finding says where it was set.
    const exitCodeSet = typeof process.exitCode === 'number' && process.exitCode !== 0;
    this.report({ interrupted: aggregated.wasInterrupted, otherFailure: aggregated.snapshot.failure || exitCodeSet, totalFiles: aggregated.numTotalTestSuites }, withManifest);
  }

  /** Jest fails the run when this returns an error: a rerun target not found is never a pass. */
  getLastError(): Error | undefined {
    return this.lastError;
  }

  private record(end: RunEnd): RunRecord {
    return runRecord(this.facts, this.collector, this.startedAt, end);
  }

  /** Each output on its own: one that cannot be written is a one-line warning, never a failed run. */
  private report(end: RunEnd, withManifest: boolean): void {
    try {
      const run = this.record(end);
      this.lastError = notFoundError(run.notFound?.length ?? 0) ?? this.lastError;
      const manifest = buildManifest(run);
      const manifestShown = this.manifest.shown;
      const manifestWritten = withManifest && this.manifest.write(manifest);
      writeHistory(run, manifestWritten, this.options.paths.history, this.options.historyLimit);
      if (this.options.junitPath) writeJunit(run, this.options.junitPath, this.options.outputDir, this.manifest.warned);
      if (this.options.github) writeGithubOutput(run, manifest, { globalConfig: this.globalConfig, env: process.env, manifestShown, command: this.command });
      printAfterJestSummary(findingsBlock(manifest.findings, manifestShown) + summaryBlock(manifest, manifestShown, undefined, this.command));
    } catch (error) {
      warn(`could not report this run (${oneLine(error)}); Jest's results are unaffected`);
    } finally {
      this.findings.runEnded();
    }
  }
}
