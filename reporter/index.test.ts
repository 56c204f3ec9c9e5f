import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createEmptyTestResult, makeEmptyAggregatedTestResult } from '@jest/test-result';
import type { AggregatedResult, AssertionResult, Test, TestCaseResult, TestContext, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import type { Manifest } from '../core/manifest';
import { FINDINGS_DIR_ENV, writeFindings } from '../io/findingsChannel';
import { readHistory } from '../io/historyFile';
import { sendSelection } from '../io/selectionFile';
import FlakeguardReporter from './index';

// The dispatcher fed Jest's events as Jest would, with synthetic results: what it writes is what the modules make of them.

let root: string;
let stderr: jest.SpyInstance;
let stdout: jest.SpyInstance;
let savedEnv: NodeJS.ProcessEnv;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-reporter-'));
  fs.writeFileSync(path.join(root, 'a.test.ts'), '');
  // The reporter names its findings directory in process.env (workers inherit it); a spec may name a selection there.
  savedEnv = { ...process.env };
  for (const key of [FINDINGS_DIR_ENV, 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'GITHUB_WORKSPACE']) delete process.env[key];
  stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stderr.mockRestore();
  stdout.mockRestore();
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  fs.rmSync(root, { recursive: true, force: true });
});

const globalConfig = (extra: Partial<Config.GlobalConfig> = {}): Config.GlobalConfig =>
  ({ rootDir: root, watch: false, watchAll: false, json: false, seed: 1, ...extra }) as Config.GlobalConfig;
const projectConfig = (extra: Partial<Config.ProjectConfig> = {}): Config.ProjectConfig =>
  ({ rootDir: root, roots: [root], moduleFileExtensions: ['js', 'json'], watchPathIgnorePatterns: [], modulePathIgnorePatterns: [], ...extra }) as Config.ProjectConfig;
const contexts = (config = projectConfig()): Set<TestContext> => new Set([{ config } as unknown as TestContext]);
const testOf = (file: string): Test => ({ path: path.join(root, file), context: { config: projectConfig() } }) as unknown as Test;

function assertion(titles: string[], status: AssertionResult['status'], extra: Partial<AssertionResult> = {}): AssertionResult {
  return {
    ancestorTitles: titles.slice(0, -1),
    title: titles[titles.length - 1]!,
    fullName: titles.join(' '),
    status,
    failureMessages: [],
    failureDetails: [],
    numPassingAsserts: 0,
    invocations: 1,
    ...extra,
  } as AssertionResult;
}
const fileResult = (file: string, tests: AssertionResult[]): TestResult => ({ ...createEmptyTestResult(), testFilePath: path.join(root, file), testResults: tests });
const aggregated = (extra: Partial<AggregatedResult> = {}): AggregatedResult => ({ ...makeEmptyAggregatedTestResult(), numTotalTestSuites: 1, ...extra });
const failedAttempt = (titles: string[], message: string): TestCaseResult => ({ ...assertion(titles, 'failed'), failureMessages: [message] }) as TestCaseResult;

const out = (...parts: string[]): string => path.join(root, 'out', ...parts);
const readManifestJson = (): Manifest => JSON.parse(fs.readFileSync(out('last-run.json'), 'utf8')) as Manifest;
const written = (spy: jest.SpyInstance): string => spy.mock.calls.map(([text]) => String(text)).join('');
/** The blocks after Jest's summary are printed on the next turn of the event loop. */
const afterSummary = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One file, one test that failed once and passed on its retry. */
function runFlakyFile(reporter: FlakeguardReporter): void {
  reporter.onRunStart();
  reporter.onTestFileStart(testOf('a.test.ts'));
  reporter.onTestCaseResult(testOf('a.test.ts'), failedAttempt(['s', 'flaky'], 'Error: first try'));
  reporter.onTestFileResult(testOf('a.test.ts'), fileResult('a.test.ts', [assertion(['s', 'flaky'], 'passed', { invocations: 2 }), assertion(['s', 'ok'], 'passed')]));
}

describe('FlakeguardReporter', () => {
  test('a run: a checkpoint at the first file, then the final manifest, history and JUnit, the block after the summary', async () => {
    const reporter = new FlakeguardReporter(globalConfig(), { outputDir: 'out', junit: true });
    reporter.onRunStart();
    reporter.onTestFileStart(testOf('a.test.ts'));
    expect(readManifestJson()).toMatchObject({ status: 'interrupted', notRun: [{ project: null, file: 'a.test.ts' }] });
    reporter.onTestCaseResult(testOf('a.test.ts'), failedAttempt(['s', 'flaky'], 'Error: first try'));
    reporter.onTestFileResult(testOf('a.test.ts'), fileResult('a.test.ts', [assertion(['s', 'flaky'], 'passed', { invocations: 2 }), assertion(['s', 'ok'], 'passed')]));
    reporter.onRunComplete(contexts(), aggregated());
    const manifest = readManifestJson();
    expect(manifest).toMatchObject({ status: 'passed', seed: 1, counts: { passed: 1, flaky: 1, failed: 0, notRun: 0 }, notRun: [] });
    expect(manifest.flaky).toEqual([{ project: null, file: 'a.test.ts', titles: ['s', 'flaky'], attempts: 2, message: 'Error: first try' }]);
    expect(readHistory(out('history')).runs.map((run) => run.outcomes)).toEqual(['KP']);
    expect(fs.readFileSync(out('junit.xml'), 'utf8')).toContain('<testsuites name="jest"');
    expect(reporter.getLastError()).toBeUndefined();
    await afterSummary();
    expect(written(stderr)).toContain('1 flaky');
    expect(written(stderr)).toContain(`flakeguard rerun --manifest ${out('last-run.json')}`);
    expect(written(stdout)).toBe(''); // no GitHub output unless asked
  });

  test("the environment's findings are taken as each file reports; the run's end removes the findings directory", async () => {
    const reporter = new FlakeguardReporter(globalConfig(), { outputDir: 'out' });
    const dir = process.env[FINDINGS_DIR_ENV]!;
    expect(fs.statSync(dir).isDirectory()).toBe(true);
    reporter.onRunStart();
    const file = path.join(root, 'a.test.ts');
    writeFindings(dir, file, [{ check: 'unrestored-spy', project: null, file, titles: ['s', 'ok'], message: 'spy on api.get was not restored', at: null, severity: 'warn' }]);
    reporter.onTestFileStart(testOf('a.test.ts'));
    reporter.onTestFileResult(testOf('a.test.ts'), fileResult('a.test.ts', [assertion(['s', 'ok'], 'passed')]));
    reporter.onRunComplete(contexts(), aggregated());
    expect(readManifestJson().findings).toEqual([
      { check: 'unrestored-spy', project: null, file: 'a.test.ts', titles: ['s', 'ok'], message: 'spy on api.get was not restored', at: null },
    ]);
    expect(fs.existsSync(dir)).toBe(false);
    await afterSummary();
  });

  test('under a rerun, a target not found is in the manifest and fails the run; the next run starts without the error', async () => {
    const selection = path.join(root, 'selection.json');
    const env = sendSelection({}, selection, {
      schemaVersion: 1,
      include: { [path.join(root, 'a.test.ts')]: [['s', 'gone']] },
      targets: [{ project: null, file: 'a.test.ts', testPath: path.join(root, 'a.test.ts'), titles: ['s', 'gone'] }],
    });
    Object.assign(process.env, env);
    const reporter = new FlakeguardReporter(globalConfig(), { outputDir: 'out' });
    runFlakyFile(reporter);
    reporter.onRunComplete(contexts(), aggregated());
    expect(readManifestJson()).toMatchObject({ status: 'failed', failed: [{ file: 'a.test.ts', titles: ['s', 'gone'], attempts: 0 }] });
    expect(reporter.getLastError()?.message).toMatch(/^jest-flakeguard: 1 test\(s\) or file\(s\) flakeguard rerun named were not found/);
    reporter.onRunStart();
    expect(reporter.getLastError()).toBeUndefined();
    await afterSummary();
  });

  test('an interrupted run: the manifest says so, the history is left alone', async () => {
    const reporter = new FlakeguardReporter(globalConfig(), { outputDir: 'out' });
    runFlakyFile(reporter);
    reporter.onRunComplete(contexts(), aggregated({ wasInterrupted: true }));
    expect(readManifestJson().status).toBe('interrupted');
    expect(fs.existsSync(out('history'))).toBe(false);
    await afterSummary();
  });

  test('an unwritable outputDir: one warning for the manifest, no history, the JUnit beside it silent, nothing thrown', async () => {
    fs.writeFileSync(path.join(root, 'out'), 'a file where the directory goes');
    const reporter = new FlakeguardReporter(globalConfig(), { outputDir: 'out', junit: true });
    runFlakyFile(reporter);
    expect(() => reporter.onRunComplete(contexts(), aggregated())).not.toThrow();
    await afterSummary();
    const warnings = written(stderr)
      .split('\n')
      .filter((line) => /^flakeguard: (cannot|could not)/.test(line));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`^flakeguard: cannot write ${out('last-run.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+\\); the run's results and exit code are unaffected$`),
    );
    expect(reporter.getLastError()).toBeUndefined();
  });

  test('watch mode: no checkpoints; a run with no projects writes nothing; a watched manifest is left alone (one warning), the JUnit still written', async () => {
    const reporter = new FlakeguardReporter(globalConfig({ watch: true }), { outputDir: 'out', junit: true });
    runFlakyFile(reporter);
    expect(fs.existsSync(out())).toBe(false);
    reporter.onRunComplete(new Set(), aggregated());
    expect(fs.existsSync(out())).toBe(false);
    reporter.onRunComplete(contexts(), aggregated());
    runFlakyFile(reporter);
    reporter.onRunComplete(contexts(), aggregated());
    expect(fs.existsSync(out('last-run.json'))).toBe(false);
    expect(fs.existsSync(out('history'))).toBe(false);
    expect(fs.existsSync(out('junit.xml'))).toBe(true);
    expect(written(stderr).split(`flakeguard: Jest watches ${out('last-run.json')} (project ${root})`)).toHaveLength(2);
    reporter.onRunComplete(contexts(projectConfig({ watchPathIgnorePatterns: ['/out/'] })), aggregated());
    expect(readManifestJson().counts.flaky).toBe(1);
    await afterSummary();
  });

  test('github: true prints annotations on stdout and appends the step summary', async () => {
    process.env.GITHUB_STEP_SUMMARY = path.join(root, 'summary.md');
    const reporter = new FlakeguardReporter(globalConfig(), { outputDir: 'out', github: true });
    runFlakyFile(reporter);
    reporter.onRunComplete(contexts(), aggregated());
    expect(written(stdout)).toMatch(/^::warning file=a\.test\.ts,.*title=flaky%3A s › flaky::passed on attempt 2/);
    expect(fs.readFileSync(path.join(root, 'summary.md'), 'utf8')).toContain('jest-flakeguard');
    await afterSummary();
  });
});
