// `flakeguard hunt`: repeats the selected tests (shuffled, under CPU stress, only the changed files) until each is
// settled, then tells why each flaky one is flaky and names the test that breaks it. A thin loop around the pure
// policy (core/huntPlan), classification (core/huntClassify, core/bisect) and report (core/huntReport).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlakeguardError, oneLine } from '../core/errors';
import { findingsEnv, takeFindings } from '../io/findingsChannel';
import { classifyTest, type Observation, type ProbeContext, type ProbeOutcome, type RunContext } from '../core/huntClassify';
import {
  DEFAULT_CONFIDENCE,
  DEFAULT_RATE,
  DEFAULT_RUNS,
  isStressedRun,
  parseDuration,
  runSeed,
  settlement,
  stopReason,
  type HuntPolicy,
  type StopReason,
  type Tally,
} from '../core/huntPlan';
import { testName, type HuntCulprit, type HuntReport, type HuntRun, type HuntTest, type ProvenFinding } from '../core/huntReport';
import { readHuntReport, writeHuntReport } from '../io/huntReportFile';
import { formatHuntSummary } from '../core/huntSummary';
import { readManifest } from '../io/manifestFile';
import { outputPaths } from '../core/outputPaths';
import { type OrderRequest } from '../core/runOrder';
import { FILE_ORDER_ENV, readProcessRecords, writeOrderRequest } from '../io/runOrderFiles';
import { sendSelection, SELECTION_VERSION, withoutSelection } from '../io/selectionFile';
import { wilsonInterval } from '../core/wilson';
import type { Command } from './command';
import { parseCommandLine, type CommandLine } from './args';
import { progress } from './progress';
import { CpuStress, jestFacts, listTests, runJestForReport, type JestRun, type TestOutcome } from './huntJest';
import { resolveJestBin } from './jestBinary';

/** Tests and fixtures may read it: set to `cpu` in the runs (and probes) the hunt puts under CPU stress. */
export const STRESS_ENV = 'FLAKEGUARD_STRESS';

const USAGE = `usage: flakeguard hunt [jest args] [--runs N | --duration 10m] [--shuffle] [--seed S] [--stress cpu]
                       [--changed [base]] [--confidence 0.95] [--rate 0.2]
       flakeguard hunt --replay RUN [jest args]`;

const HELP = `${USAGE}

Runs your Jest again and again (default at most ${DEFAULT_RUNS} runs) and stops early once every test is settled: flaky
(it failed once), or clean (it passed often enough to rule out a flake rate of --rate at --confidence). Each test
that failed is then classified with probe runs: order-dependent (victim or brittle, with the polluter or
state-setter named), non-order-dependent, timing-sensitive, or failing. The report is .flakeguard/hunt.json.

  --runs N          at most N runs                 --duration 10m   stop starting runs after this long
  --shuffle         shuffle files and the tests in each file (Jest's --randomize), a seed per run
  --seed S          the hunt's seed (runs derive theirs from it); random by default
  --stress cpu      every second run with busy processes beside the tests; ${STRESS_ENV}=cpu is set in them
  --stress-workers N  busy processes in a stressed run (default: one per core; 0 only sets ${STRESS_ENV})
  --changed [base]  only the test files changed since base (git diff base...HEAD; default origin/HEAD or main)
  --replay RUN      run one run of the last hunt again (its seed, order and stress)
  --count-only      repeat and count only: no probe runs (flaky tests stay unresolved)
Exit code: 0 when nothing flaky was found, 1 when something was, 2 on an error.`;

interface HuntArgs {
  policy: HuntPolicy;
  /** Busy processes in a stressed run. */
  stressWorkers: number;
  shuffle: boolean;
  seed: number;
  changed: string | null | undefined;
  replay: number | null;
  /** Repeat and count only: no probe runs, so flaky tests stay unresolved. */
  countOnly: boolean;
  jestArgs: string[];
}

/** Refs for `--changed` are data: word characters, dots, slashes and dashes, never a leading dash. */
const REF_PATTERN = /^[\w./-]+$/;
export const isSafeRef = (ref: string): boolean => REF_PATTERN.test(ref) && !ref.startsWith('-');

/** Jest arguments the hunt sets itself, per run. */
const OWN_JEST_FLAGS = /^--(json|outputFile|seed|randomize|watch|watchAll|listTests|showConfig)(=|$)/;

function wholeNumber(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new FlakeguardError('USAGE', `${flag} "${value}" must be a whole number ≥ ${min}`);
  return Number(value);
}

function fraction(value: string, flag: string): number {
  const n = Number(value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new FlakeguardError('USAGE', `${flag} "${value}" must be between 0 and 1 (or a percentage)`);
  return n;
}

/**
 * Our options are taken out; everything else (in order) is Jest's, as after `--`. `--changed` takes the next
 * word as its base when that word is a git ref (validated as data), else the default base.
 */
export function parseHuntArgs(argv: readonly string[], isRef: (word: string) => boolean): HuntArgs | 'help' {
  const line: CommandLine = {
    name: 'flakeguard hunt',
    usage: USAGE,
    jest: true,
    options: {
      runs: { type: 'string' },
      duration: { type: 'string' },
      shuffle: { type: 'boolean' },
      seed: { type: 'string' },
      stress: { type: 'string' },
      'stress-workers': { type: 'string' },
      changed: { type: 'boolean', optionalValue: (word) => isSafeRef(word) && isRef(word) },
      replay: { type: 'string' },
      'count-only': { type: 'boolean' },
      confidence: { type: 'string' },
      rate: { type: 'string' },
    },
  };
  const parsed = parseCommandLine(line, argv);
  if (parsed === 'help') return 'help';
  const { values, jestArgs } = parsed;
  const changed: string | null | undefined = values.changed === undefined ? undefined : typeof values.changed === 'string' ? values.changed : null;
  const clash = jestArgs.find((arg) => OWN_JEST_FLAGS.test(arg));
  if (clash) throw new FlakeguardError('USAGE', `${clash} is set by flakeguard hunt itself (--shuffle randomizes, --seed seeds the hunt)`);
  if (typeof changed === 'string' && !isSafeRef(changed)) throw new FlakeguardError('USAGE', `--changed "${changed}": not a git ref (letters, digits, . / _ - only)`);
  if (values.stress !== undefined && values.stress !== 'cpu') throw new FlakeguardError('USAGE', `--stress "${String(values.stress)}": only --stress cpu exists`);
  const durationMs = typeof values.duration === 'string' ? parseDuration(values.duration) : null;
  const maxRuns = typeof values.runs === 'string' ? wholeNumber(values.runs, '--runs', 1) : durationMs === null ? DEFAULT_RUNS : null;
  const seed = typeof values.seed === 'string' ? seedValue(values.seed) : (Math.random() * 2 ** 31) | 0;
  return {
    policy: {
      maxRuns,
      durationMs,
      confidence: typeof values.confidence === 'string' ? fraction(values.confidence, '--confidence') : DEFAULT_CONFIDENCE,
      rate: typeof values.rate === 'string' ? fraction(values.rate, '--rate') : DEFAULT_RATE,
      stress: values.stress === 'cpu',
    },
    stressWorkers: typeof values['stress-workers'] === 'string' ? wholeNumber(values['stress-workers'], '--stress-workers', 0) : os.availableParallelism(),
    shuffle: values.shuffle === true,
    seed,
    changed,
    replay: typeof values.replay === 'string' ? wholeNumber(values.replay, '--replay', 1) : null,
    countOnly: values['count-only'] === true,
    jestArgs,
  };
}

function seedValue(text: string): number {
  if (!/^-?\d+$/.test(text) || Number(text) !== (Number(text) | 0)) throw new FlakeguardError('USAGE', `--seed "${text}" must be a 32-bit integer`);
  return Number(text);
}

// ---------------------------------------------------------------------------------------------------------------
// git: the changed test files

function git(args: string[], cwd: string): { ok: boolean; out: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { ok: result.status === 0, out: result.stdout ?? '' };
}

function isGitRef(cwd: string): (word: string) => boolean {
  return (word) => isSafeRef(word) && git(['rev-parse', '--verify', '--quiet', `${word}^{commit}`], cwd).ok;
}

function defaultBase(cwd: string): string {
  for (const candidate of ['origin/HEAD', 'main', 'master']) if (isGitRef(cwd)(candidate)) return candidate;
  throw new FlakeguardError('USAGE', '--changed: no origin/HEAD, main or master here; name the base (--changed BASE)');
}

/** Absolute paths of files changed between `base` and HEAD (`git diff --name-only base...HEAD --`). */
function changedFiles(base: string, cwd: string): string[] {
  if (!isSafeRef(base)) throw new FlakeguardError('USAGE', `--changed "${base}": not a git ref`);
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) throw new FlakeguardError('USAGE', '--changed needs a git checkout');
  const diff = git(['diff', '--name-only', `${base}...HEAD`, '--'], cwd);
  if (!diff.ok) throw new FlakeguardError('USAGE', `--changed: git diff against "${base}" failed: is it a commit here?`);
  const root = fs.realpathSync(top.out.trim());
  return diff.out
    .split('\n')
    .filter(Boolean)
    .map((file) => path.join(root, file));
}

// ---------------------------------------------------------------------------------------------------------------
// Tests, runs and what the hunt remembers of them

interface TestRef {
  key: string;
  /** Absolute, as Jest reports it. */
  testPath: string;
  /** Relative to rootDir, with `/`. */
  file: string;
  titles: string[];
}

interface RunRecord {
  meta: HuntRun;
  context: ProbeContext;
  outcomes: Map<string, TestOutcome>;
  /** Tests in the order each process ran them. */
  processes: TestRef[][];
}

class TestTable {
  private readonly refs = new Map<string, TestRef>();
  constructor(private readonly rootDir: string) {}

  ref(testPath: string, titles: string[]): TestRef {
    const key = `${testPath}\0${titles.join('\0')}`;
    let ref = this.refs.get(key);
    if (!ref) {
      ref = { key, testPath, file: this.relative(testPath), titles };
      this.refs.set(key, ref);
    }
    return ref;
  }

  relative(testPath: string): string {
    return path.relative(this.rootDir, testPath).split(path.sep).join('/');
  }

  all(): TestRef[] {
    return [...this.refs.values()];
  }
}

const describeRef = (ref: TestRef): string => testName(ref);

class Hunter {
  private readonly scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-hunt-'));
  private readonly stress = new CpuStress();
  private sequence = 0;
  /** Whether the project's environment applies flakeguard's exact selection; probes fall back to -t otherwise. */
  private selectionWorks: boolean | null = null;
  probes = 0;

  constructor(
    private readonly jestBin: string,
    private readonly jestArgs: string[],
    private readonly cwd: string,
    private readonly table: TestTable,
    private readonly fixedFiles: string[] | null,
    private readonly stressWorkers: number,
  ) {}

  close(): void {
    fs.rmSync(this.scratch, { recursive: true, force: true });
  }

  private async jest(args: string[], env: NodeJS.ProcessEnv, stressed: boolean, jestArgs: readonly string[] = this.jestArgs): Promise<JestRun> {
    const reportFile = path.join(this.scratch, `report-${++this.sequence}.json`);
    if (stressed) this.stress.start(this.stressWorkers);
    try {
      return await runJestForReport({ jestBin: this.jestBin, args: [...jestArgs, ...args], env, cwd: this.cwd, reportFile });
    } finally {
      if (stressed) await this.stress.stop();
    }
  }

  private baseEnv(stressed: boolean): NodeJS.ProcessEnv {
    const env = withoutSelection(process.env);
    delete env[FILE_ORDER_ENV];
    delete env[STRESS_ENV];
    if (stressed) env[STRESS_ENV] = 'cpu';
    return env;
  }

  private contextArgs(context: ProbeContext): string[] {
    return ['--seed', String(context.seed), ...(context.randomize ? ['--randomize'] : []), '--ci', '--coverage=false', '--reporters', 'summary'];
  }

  /** One hunt run: the whole selection, Jest's own parallelism, the file order shuffled by the run's seed if asked. */
  async run(index: number, context: ProbeContext): Promise<{ record: RunRecord; findingsDir: string; files: string[] }> {
    const dir = path.join(this.scratch, `run-${index}`);
    const recordDir = path.join(dir, 'order');
    const findingsDir = path.join(dir, 'findings');
    fs.mkdirSync(recordDir, { recursive: true });
    fs.mkdirSync(findingsDir, { recursive: true });
    const request: OrderRequest = { schemaVersion: 1, shuffleSeed: context.randomize ? context.seed : null, exact: null, recordDir };
    const requestFile = path.join(dir, 'order.json');
    writeOrderRequest(requestFile, request);
    const env = { ...this.baseEnv(context.stressed), [FILE_ORDER_ENV]: requestFile, ...findingsEnv(findingsDir) };
    const files = this.fixedFiles ? ['--runTestsByPath', ...this.fixedFiles] : [];
    const result = await this.jest([...this.contextArgs(context), ...files], env, context.stressed);
    const outcomes = new Map<string, TestOutcome>();
    const byFile = new Map<string, TestRef[]>();
    const refs = new Map<string, TestRef>();
    for (const file of result.files) {
      const inFile: TestRef[] = [];
      for (const test of file.tests) {
        const ref = this.table.ref(test.testPath, test.titles);
        refs.set(ref.key, ref);
        // A file run by two projects: the test failed in this run if it failed in either.
        if (outcomes.get(ref.key) !== 'failed') outcomes.set(ref.key, test.outcome);
        inFile.push(ref);
      }
      byFile.set(file.testPath, [...(byFile.get(file.testPath) ?? []), ...inFile]);
    }
    const failed = [...outcomes].filter(([, outcome]) => outcome === 'failed').map(([key]) => refs.get(key)!);
    // Each process's files in the order it started them; files no record names (a runner that is not ours) as one.
    const processes: TestRef[][] = [];
    const placed = new Set<string>();
    for (const record of readProcessRecords(recordDir)) {
      const tests = record.files.flatMap((file) => (placed.has(file) ? [] : (placed.add(file), byFile.get(file) ?? [])));
      if (tests.length > 0) processes.push(tests);
    }
    const rest = [...byFile.keys()].filter((file) => !placed.has(file)).flatMap((file) => byFile.get(file)!);
    if (rest.length > 0) processes.push(rest);
    const meta: HuntRun = {
      run: index,
      seed: context.seed,
      shuffled: context.randomize,
      stressed: context.stressed,
      tests: outcomes.size,
      failed: failed.map((ref) => ({ file: ref.file, titles: ref.titles })),
    };
    return { record: { meta, context, outcomes, processes }, findingsDir, files: [...byFile.keys()] };
  }

  /** A probe: exactly `tests` (the target last), in this order, in one process; how the target ended. */
  async probe(tests: readonly TestRef[], context: ProbeContext): Promise<ProbeOutcome> {
    this.probes++;
    const target = tests[tests.length - 1]!;
    const files: string[] = [];
    const include: Record<string, string[][]> = {};
    for (const test of tests) {
      if (!include[test.testPath]) {
        include[test.testPath] = [];
        files.push(test.testPath);
      }
      include[test.testPath]!.push(test.titles);
    }
    const dir = path.join(this.scratch, `probe-${this.probes}`);
    fs.mkdirSync(dir, { recursive: true });
    const selectionFile = path.join(dir, 'selection.json');
    const requestFile = path.join(dir, 'order.json');
    writeOrderRequest(requestFile, { schemaVersion: 1, shuffleSeed: null, exact: files, recordDir: null });
    const selected = sendSelection(this.baseEnv(context.stressed), selectionFile, { schemaVersion: SELECTION_VERSION, include });
    const env = { ...selected, [FILE_ORDER_ENV]: requestFile, ...findingsEnv(path.join(dir, 'findings')) };
    const byName = this.selectionWorks === false;
    const namePattern = byName ? ['--testNamePattern', fullNamePattern(tests)] : [];
    const args = [...this.contextArgs(context), '--runInBand', ...namePattern, '--runTestsByPath', ...files];
    const result = await this.jest(args, env, context.stressed, byName ? withoutNamePattern(this.jestArgs) : this.jestArgs);
    const wanted = new Set(tests.map((test) => test.key));
    const ran = result.files.flatMap((file) => file.tests);
    if (this.selectionWorks === null && ran.length > 0) {
      this.selectionWorks = ran.every((test) => wanted.has(`${test.testPath}\0${test.titles.join('\0')}`));
      if (!this.selectionWorks) {
        this.probes--;
        return this.probe(tests, context); // the same probe, selected by name this time
      }
    }
    const mine = ran.filter((test) => test.testPath === target.testPath && test.titles.join('\0') === target.titles.join('\0'));
    if (mine.length === 0) return 'absent';
    return mine.some((test) => test.outcome === 'failed') ? 'failed' : 'passed';
  }
}

/**
 * The user's arguments less their own `-t`: a probe selecting by name gives its own, and two patterns would make Jest
 * match neither. The tests a probe names came from runs under the user's pattern, so nothing is lost.
 */
export function withoutNamePattern(jestArgs: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < jestArgs.length; i++) {
    const arg = jestArgs[i]!;
    if (arg === '-t' || arg === '--testNamePattern') i++;
    else if (!/^(-t|--testNamePattern)=/.test(arg)) out.push(arg);
  }
  return out;
}

/** `-t` for environments that do not apply flakeguard's selection: anchored full names (titles joined by spaces). */
function fullNamePattern(tests: readonly TestRef[]): string {
  const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(?:${[...new Set(tests.map((test) => escape(test.titles.join(' '))))].join('|')})$`;
}

// ---------------------------------------------------------------------------------------------------------------

interface Finding {
  check: string;
  file: string;
  titles: string[];
  message: string;
  at: string | null;
}

function manifestFindings(rootDir: string): Finding[] {
  const file = outputPaths(rootDir).manifest;
  if (!fs.existsSync(file)) return [];
  try {
    return readManifest(file).findings.map((f) => ({ check: f.check, file: f.file, titles: f.titles, message: f.message, at: f.at }));
  } catch (error) {
    process.stderr.write(`flakeguard hunt: warning: its findings are left out: ${oneLine(error)}\n`);
    return [];
  }
}

const sameTitles = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((t, i) => t === b[i]);

function observationOf(ref: TestRef, runs: readonly RunRecord[]): Observation<TestRef> {
  const calm: Tally = { runs: 0, failures: 0 };
  const stressed: Tally = { runs: 0, failures: 0 };
  let failedCalm: RunContext<TestRef> | null = null;
  let failedStressed: RunContext<TestRef> | null = null;
  let passed: RunContext<TestRef> | null = null;
  for (const run of runs) {
    const outcome = run.outcomes.get(ref.key);
    if (!outcome) continue;
    const tally = run.context.stressed ? stressed : calm;
    tally.runs++;
    const context = (): RunContext<TestRef> => {
      const ranTogether = run.processes.find((tests) => tests.includes(ref)) ?? [];
      return { ...run.context, run: run.meta.run, before: ranTogether.slice(0, ranTogether.indexOf(ref)) };
    };
    if (outcome === 'failed') {
      tally.failures++;
      if (run.context.stressed) failedStressed ??= context();
      else failedCalm ??= context();
    } else passed ??= context();
  }
  return { calm, stressed, failedCalm, failedStressed, passed };
}

async function hunt(args: HuntArgs): Promise<number> {
  const cwd = process.cwd();
  const jestBin = resolveJestBin(cwd);
  const facts = await jestFacts(jestBin, args.jestArgs, cwd);
  const rootDir = facts.rootDir;
  const ourRunner = require.resolve('../runner/index');
  const isOurs = (runner: string): boolean => runner === ourRunner || /jest-flakeguard[\\/](dist[\\/])?runner[\\/]index\.js$/.test(runner);
  const runnerArgs: string[] = [];
  if (!facts.runners.every(isOurs)) {
    const foreign = facts.runners.find((runner) => !isOurs(runner) && !/[\\/]jest-runner[\\/]build[\\/]index\.js$/.test(runner));
    if (foreign)
      throw new FlakeguardError('BAD_OPTION', `flakeguard hunt orders and records files through jest-flakeguard/runner; this project runs its tests with ${foreign}`);
    runnerArgs.push('--runner', ourRunner); // Jest's own runner: ours runs files exactly as it does, and can order them
  }
  const jestArgs = [...args.jestArgs, ...runnerArgs];
  const reportFile = outputPaths(rootDir).hunt;
  const shown = path.relative(cwd, reportFile) || reportFile;

  let fixedFiles: string[] | null = null;
  if (args.changed !== undefined) {
    const base = args.changed ?? defaultBase(cwd);
    const changed = new Set(changedFiles(base, cwd));
    const tests = await listTests(jestBin, jestArgs, cwd);
    fixedFiles = tests.filter((file) => changed.has(fs.realpathSync(file)) || changed.has(file));
    if (fixedFiles.length === 0) {
      console.log(`flakeguard hunt: no test file changed since ${base}: nothing to hunt`);
      return 0;
    }
    process.stderr.write(`flakeguard hunt: ${fixedFiles.length} test files changed since ${base}\n`);
  }

  if (args.replay !== null) return replay(args, jestBin, jestArgs, cwd, rootDir, reportFile, fixedFiles);

  const table = new TestTable(rootDir);
  const hunter = new Hunter(jestBin, jestArgs, cwd, table, fixedFiles, args.stressWorkers);
  const show = progress(process.stderr, { log: true });
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onSignal);
  const startedAt = new Date();
  const runs: RunRecord[] = [];
  const findings: Finding[] = manifestFindings(rootDir);
  let reason: StopReason | null = null;
  try {
    for (let index = 1; ; index++) {
      reason = interrupted ? 'interrupted' : stopReason(tallies(table, runs), args.policy, runs.length, Date.now() - startedAt.getTime());
      if (reason) break;
      const context: ProbeContext = { seed: runSeed(args.seed, index), randomize: args.shuffle, stressed: isStressedRun(index, args.policy) };
      show.update(runLine(index, args.policy, context, table, runs));
      const { record, findingsDir, files } = await hunter.run(index, context);
      for (const file of files) {
        for (const f of takeFindings(findingsDir, file)) findings.push({ check: f.check, file: table.relative(f.file), titles: f.titles, message: f.message, at: f.at });
      }
      runs.push(record);
      if (record.outcomes.size === 0 && index === 1) throw new FlakeguardError('NOT_FOUND', 'the first run ran no tests: check your Jest arguments');
    }

    const flaky = table.all().filter((ref) => runs.some((run) => run.outcomes.get(ref.key) === 'failed'));
    const verdicts = new Map<string, Awaited<ReturnType<typeof classifyTest<TestRef>>>>();
    for (const [i, ref] of flaky.entries()) {
      if (interrupted || args.countOnly) break;
      show.update(`flakeguard hunt: classifying ${i + 1}/${flaky.length}: ${describeRef(ref)}`);
      verdicts.set(ref.key, await classifyTest(ref, observationOf(ref, runs), (tests, context) => hunter.probe(tests, context), describeRef));
    }
    show.done();
    const report = buildReport(args, startedAt, reason ?? 'runs', runs, table, verdicts, findings, hunter.probes);
    writeHuntReport(reportFile, report);
    for (const line of formatHuntSummary(report, shown)) console.log(line);
    if (interrupted) return 130;
    return report.tests.some((test) => test.class !== 'clean') ? 1 : 0;
  } finally {
    show.done();
    process.off('SIGINT', onSignal);
    hunter.close();
  }
}

function tallies(table: TestTable, runs: readonly RunRecord[]): Tally[] {
  return table.all().map((ref) => {
    let ran = 0;
    let failures = 0;
    for (const run of runs) {
      const outcome = run.outcomes.get(ref.key);
      if (outcome) ran++;
      if (outcome === 'failed') failures++;
    }
    return { runs: ran, failures };
  });
}

function runLine(index: number, policy: HuntPolicy, context: ProbeContext, table: TestTable, runs: readonly RunRecord[]): string {
  const all = tallies(table, runs);
  const flaky = all.filter((tally) => tally.failures > 0).length;
  const open = all.filter((tally) => settlement(tally, policy) === 'open').length;
  const of = policy.maxRuns !== null ? `/${policy.maxRuns}` : '';
  const so = runs.length === 0 ? '' : ` · so far ${all.length} tests, ${flaky} flaky, ${open} not settled`;
  return `flakeguard hunt: run ${index}${of}${context.stressed ? ' (CPU stress)' : ''}${so}`;
}

function buildReport(
  args: HuntArgs,
  startedAt: Date,
  reason: StopReason,
  runs: readonly RunRecord[],
  table: TestTable,
  verdicts: Map<string, Awaited<ReturnType<typeof classifyTest<TestRef>>>>,
  findings: readonly Finding[],
  probes: number,
): HuntReport {
  const tests: HuntTest[] = [];
  const proven: ProvenFinding[] = [];
  for (const ref of table.all()) {
    const observation = observationOf(ref, runs);
    const total = observation.calm.runs + observation.stressed.runs;
    if (total === 0) continue;
    const failures = observation.calm.failures + observation.stressed.failures;
    const verdict = verdicts.get(ref.key);
    const interval = wilsonInterval(failures, total, args.policy.confidence);
    const culprits: HuntCulprit[] = (verdict?.culprits ?? []).map((c) => ({ file: c.file, titles: c.titles }));
    const firstFailed = runs.find((run) => run.outcomes.get(ref.key) === 'failed');
    tests.push({
      file: ref.file,
      titles: ref.titles,
      runs: total,
      failures,
      calm: observation.calm,
      stressed: observation.stressed,
      flakeRate: interval.rate,
      interval: { low: interval.low, high: interval.high },
      class: verdict?.class ?? (failures > 0 ? 'unresolved' : 'clean'),
      role: verdict?.role ?? null,
      culprits,
      settled: settlement({ runs: total, failures }, args.policy) !== 'open',
      firstFailedRun: firstFailed?.meta.run ?? null,
      probes: verdict?.probes ?? 0,
      evidence: verdict?.evidence ?? [],
    });
    if (verdict?.class === 'order-dependent') {
      for (const culprit of culprits) {
        const seen = new Set<string>();
        for (const finding of findings) {
          if (finding.file !== culprit.file || !sameTitles(culprit.titles, finding.titles)) continue;
          const key = `${finding.check}\0${finding.message}\0${finding.at}`;
          if (seen.has(key)) continue;
          seen.add(key);
          proven.push({
            check: finding.check,
            message: finding.message,
            at: finding.at,
            leaker: { file: finding.file, titles: finding.titles },
            affected: { file: ref.file, titles: ref.titles },
            effect: verdict.role === 'brittle' ? 'passes' : 'fails',
          });
        }
      }
    }
  }
  const rank = (test: HuntTest): number => (test.class === 'clean' ? 1 : 0);
  tests.sort((a, b) => rank(a) - rank(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    schemaVersion: 1,
    tool: 'jest-flakeguard',
    kind: 'hunt',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    options: {
      runs: args.policy.maxRuns,
      durationMs: args.policy.durationMs,
      shuffle: args.shuffle,
      seed: args.seed,
      stress: args.policy.stress ? 'cpu' : null,
      changed: args.changed === undefined ? null : (args.changed ?? 'default'),
      confidence: args.policy.confidence,
      rate: args.policy.rate,
    },
    stopReason: reason,
    runs: runs.map((run) => run.meta),
    probes,
    tests,
    proven,
  };
}

/** Runs one recorded run again: its seed, its file order (when it was shuffled) and its stress. */
async function replay(args: HuntArgs, jestBin: string, jestArgs: string[], cwd: string, rootDir: string, reportFile: string, fixedFiles: string[] | null): Promise<number> {
  const report = readHuntReport(reportFile);
  const recorded = report.runs.find((run) => run.run === args.replay);
  if (!recorded) throw new FlakeguardError('NOT_FOUND', `the hunt has no run ${args.replay} (runs 1–${report.runs.length})`, reportFile);
  const table = new TestTable(rootDir);
  const hunter = new Hunter(jestBin, jestArgs, cwd, table, fixedFiles, args.stressWorkers);
  try {
    process.stderr.write(
      `flakeguard hunt: replaying run ${recorded.run} (seed ${recorded.seed}${recorded.shuffled ? ', shuffled' : ''}${recorded.stressed ? ', CPU stress' : ''})\n`,
    );
    const { record } = await hunter.run(recorded.run, { seed: recorded.seed, randomize: recorded.shuffled, stressed: recorded.stressed });
    const failed = record.meta.failed;
    const same = failed.length === recorded.failed.length && recorded.failed.every((a) => failed.some((b) => b.file === a.file && sameTitles(b.titles, a.titles)));
    console.log(`flakeguard hunt: replay of run ${recorded.run}: ${failed.length} failed (the run had ${recorded.failed.length}${same ? ', the same tests' : ''})`);
    for (const test of failed) console.log(`  failed  ${testName(test)}`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    hunter.close();
  }
}

export const command: Command = {
  summary: 'repeat the tests to find flaky ones, classify them (order-dependent, timing, …) and name the culprit',
  async run(argv) {
    const args = parseHuntArgs(argv, isGitRef(process.cwd()));
    if (args === 'help') {
      console.log(HELP);
      return 0;
    }
    return hunt(args);
  },
};
