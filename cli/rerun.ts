// `flakeguard rerun [--manifest PATH] [--flaky] [-- …jest args]`: runs real Jest on exactly what a manifest names.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { replayInvocation, runRootDir, type Replay } from '../core/invocation';
import { exactNamePattern } from '../core/namePattern';
import { FlakeguardError } from '../core/errors';
import { type Manifest } from '../core/manifest';
import { readManifest } from '../io/manifestFile';
import { DEFAULT_MANIFEST, outputPaths } from '../core/outputPaths';
import { planRerun, targetsNotFound, type JestProjects, type NotFoundTarget, type RerunFileResult, type RerunTarget } from '../core/rerunPlan';
import { inline } from '../core/safeText';
import { sendSelection } from '../io/selectionFile';
import type { Command } from './command';
import { resolveJestBin } from './jestBinary';
import { flag, parseCommandLine, stringValue, usageError, type CommandLine } from './args';
import { progress } from './progress';

interface RerunArgs {
  manifest: string;
  /** --manifest was given: no looking for the manifest elsewhere. */
  manifestGiven: boolean;
  flaky: boolean;
  jestArgs: string[];
}

const LINE: CommandLine = {
  name: 'flakeguard rerun',
  usage: 'usage: flakeguard rerun [--manifest PATH] [--flaky] [jest args…]',
  options: { manifest: { type: 'string', short: 'm' }, flaky: { type: 'boolean' } },
  jest: true,
};

const HELP = `${LINE.usage}

Runs Jest on exactly the failed tests, file errors and files not run of a manifest (default
${DEFAULT_MANIFEST}); --flaky adds the flaky tests. Jest runs as the manifest says the run was started: its
config file and the options that select or shape tests (see the README), with the same node flags. Every other
argument is Jest's (an option, its value, anything after --). Exit code is Jest's; 1 when a named test is not found.`;

function parseRerunArgs(argv: readonly string[]): RerunArgs | 'help' {
  const parsed = parseCommandLine(LINE, argv);
  if (parsed === 'help') return 'help';
  const given = stringValue(parsed.values, 'manifest');
  const args: RerunArgs = { manifest: given ?? DEFAULT_MANIFEST, manifestGiven: given !== undefined, flaky: flag(parsed.values, 'flaky'), jestArgs: parsed.jestArgs };
  const clash = args.jestArgs.find((arg) => /^--(json|outputFile)(=|$)/.test(arg));
  if (clash) throw usageError(LINE, `${clash} is used by flakeguard rerun itself; read the rerun's own last-run.json instead`);
  return args;
}

const describeTarget = (target: RerunTarget): string => inline(target.titles ? `${target.file} › ${target.titles.join(' › ')}` : target.file);

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What Jest's `--showConfig` says about the project, as far as the rerun needs it. */
interface ShownConfig {
  globalConfig?: { rootDir?: unknown };
  configs?: Array<{ displayName?: { name?: unknown } | null; roots?: unknown }>;
}

/**
 * Jest's rootDir, roots and project names for these arguments (`jest --showConfig`): the manifest's files are
 * relative to rootDir, which need not be the cwd (`rootDir: 'src'`, `--config sub/jest.config.js`), and its project
 * names are checked against the projects Jest has. When Jest cannot say, rootDir is the cwd and no project name
 * reaches Jest's command line; the real run then reports what is wrong with the config.
 */
function jestProjects(jestBin: string, nodeFlags: readonly string[], jestArgs: readonly string[], cwd: string): Promise<JestProjects> {
  return new Promise((resolve) => {
    const fallback = (): void => resolve({ rootDir: fs.realpathSync(cwd), roots: [], names: null });
    const child = spawn(process.execPath, [...nodeFlags, jestBin, ...jestArgs, '--showConfig'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', fallback);
    child.on('close', () => {
      // The JSON may follow warnings the config printed; it is the last thing Jest writes.
      const start = out.indexOf('{\n  "configs"');
      try {
        const shown = JSON.parse(out.slice(start)) as ShownConfig;
        const rootDir = shown.globalConfig?.rootDir;
        if (start >= 0 && typeof rootDir === 'string' && Array.isArray(shown.configs)) {
          const names = new Set<string | null>();
          const roots: string[] = [];
          for (const config of shown.configs) {
            const name = config.displayName?.name;
            names.add(typeof name === 'string' ? name : null);
            if (Array.isArray(config.roots)) roots.push(...config.roots.filter((root): root is string => typeof root === 'string'));
          }
          return resolve({ rootDir, roots, names });
        }
      } catch {
        // not Jest's JSON
      }
      fallback();
    });
  });
}

/**
 * `--selectProjects=NAME` for each of the targets' projects, so a file shared by projects runs only where a target
 * is. The `=` form: a name is never read as an option of its own (planRerun refuses one starting with `-` anyway).
 */
function projectArgs(projects: readonly string[] | null, jestArgs: readonly string[]): string[] {
  if (jestArgs.some((arg) => /^--(selectProjects|ignoreProjects)(=|$)/.test(arg))) return []; // the user's choice stands
  if (projects === null) return [];
  assertNoOption(projects);
  return projects.map((name) => `--selectProjects=${name}`);
}

/** Values made from manifest data: a last check that none of them could be read as an option. */
function assertNoOption(values: readonly string[]): void {
  const option = values.find((value) => value.startsWith('-'));
  if (option !== undefined) throw new FlakeguardError('BAD_MANIFEST', `refusing to hand Jest ${JSON.stringify(inline(option))}: manifest data is never an option`);
}

function runJest(jestBin: string, nodeFlags: readonly string[], args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // stderr passes through as it comes, less Jest's one line about the scratch report (it is ours, and gone next).
    const child = spawn(process.execPath, [...nodeFlags, jestBin, ...args], { cwd, env, stdio: ['inherit', 'inherit', 'pipe'] });
    const filter = new ReportLineFilter((text) => process.stderr.write(text));
    child.stderr!.on('data', (chunk: Buffer) => filter.push(chunk));
    child.stderr!.on('end', () => filter.end());
    child.on('error', reject);
    child.on('close', (code, signal) => {
      filter.end();
      resolve(code ?? (signal ? 130 : 1));
    });
  });
}

const REPORT_LINE_START = 'Test results written to: ';
/** The line `jest --json --outputFile=<our scratch report>` prints; any other file's line is the user's and stays. */
const REPORT_LINE = /^Test results written to: [^\n]*flakeguard-rerun-[^/\\\n]+[/\\]jest-report\.json\r?\n$/;

/**
 * Jest's stderr with the report line removed. Everything else is written at once (Jest's status line on a terminal
 * has no newline and must not lag); only text that may begin the report line waits for the rest of its line.
 */
export class ReportLineFilter {
  private held = '';
  private readonly decoder = new StringDecoder('utf8');
  private ended = false;

  constructor(private readonly write: (text: string) => void) {}

  push(chunk: Buffer | string): void {
    let text = this.held + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    this.held = '';
    let out = '';
    for (;;) {
      const at = text.indexOf(REPORT_LINE_START);
      if (at === -1) break;
      const end = text.indexOf('\n', at);
      out += text.slice(0, at);
      if (end === -1) {
        this.held = text.slice(at);
        text = '';
        break;
      }
      const line = text.slice(at, end + 1);
      if (!REPORT_LINE.test(line)) out += line;
      text = text.slice(end + 1);
    }
    // A tail that could be the start of the report line waits for the next chunk.
    for (let k = Math.min(REPORT_LINE_START.length - 1, text.length); k > 0; k--) {
      if (REPORT_LINE_START.startsWith(text.slice(-k))) {
        this.held = text.slice(-k);
        text = text.slice(0, -k);
        break;
      }
    }
    out += text;
    if (out) this.write(out);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const rest = this.held + this.decoder.end();
    this.held = '';
    if (rest && !REPORT_LINE.test(rest.endsWith('\n') ? rest : `${rest}\n`)) this.write(rest);
  }
}

interface JestJsonReport {
  testResults?: Array<{
    name: string;
    status?: string;
    testExecError?: unknown;
    assertionResults?: Array<{ ancestorTitles: string[]; title: string; status: string }>;
  }>;
}

function readJestReport(file: string): RerunFileResult[] | null {
  try {
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as JestJsonReport;
    return (report.testResults ?? []).map((result) => ({
      testPath: result.name,
      failedToRun: Boolean(result.testExecError) || (result.status === 'failed' && (result.assertionResults ?? []).length === 0),
      tests: (result.assertionResults ?? []).map((test) => ({ titles: [...test.ancestorTitles, test.title], status: test.status })),
    }));
  } catch {
    return null; // Jest crashed before writing its report; its exit code says so.
  }
}

/** Tests that ran although the manifest did not name them: the project's environment ignores selections. */
function unselectedRuns(targets: readonly RerunTarget[], results: readonly RerunFileResult[]): string[] {
  const files = new Set<string>();
  for (const result of results) {
    const named = targets.filter((t) => t.testPath === result.testPath && t.refused === null);
    if (named.length === 0 || named.some((t) => t.titles === null)) continue;
    const ranOther = result.tests.some(
      (test) =>
        (test.status === 'passed' || test.status === 'failed') &&
        !named.some((t) => t.titles!.length === test.titles.length && t.titles!.every((title, i) => title === test.titles[i])),
    );
    if (ranOther) files.add(named[0]!.file);
  }
  return [...files];
}

function whyNotFound({ target, why }: NotFoundTarget<RerunTarget>, jest: JestProjects): string {
  switch (why) {
    case 'file-gone':
      return 'the file is gone';
    case 'test-missing':
      return 'no test with this title path ran: renamed, removed or skipped?';
    case 'file-not-run':
      return 'Jest did not run this file: testMatch, testPathIgnorePatterns or roots leave it out, its project no longer takes it, or the run stopped first';
    case 'outside-root':
      return `refused: the file is outside Jest's rootDir ${jest.rootDir}`;
    case 'unknown-project': {
      const known = jest.names ? [...jest.names].map((n) => (n === null ? '(no displayName)' : n)).join(', ') : '';
      return `refused: project ${target.project === null ? '(no displayName)' : JSON.stringify(target.project)} is not one Jest reports (${known})`;
    }
  }
}

async function rerun(argv: string[]): Promise<number> {
  const args = parseRerunArgs(argv);
  if (args === 'help') {
    console.log(HELP);
    return 0;
  }
  const cwd = process.cwd();
  const manifestPath = args.manifestGiven ? path.resolve(cwd, args.manifest) : await defaultManifest(cwd, args.jestArgs);
  const manifest = readManifest(manifestPath);
  const shown = path.relative(cwd, manifestPath) || manifestPath;
  const flakyHint = !args.flaky && manifest.flaky.length > 0 ? ` (${plural(manifest.flaky.length, 'flaky test')}: add --flaky to rerun them)` : '';
  if (manifest.failed.length + manifest.fileErrors.length + manifest.notRun.length + (args.flaky ? manifest.flaky.length : 0) === 0) {
    console.log(`flakeguard rerun: nothing to rerun in ${inline(shown)}${flakyHint}`);
    return 0;
  }
  // Jest runs as the manifest says the run was started (its directory, --config, options, node flags); the user's
  // own arguments come after and win.
  const replay = replayOf(manifest, manifestPath, shown, args.jestArgs);
  const runCwd = replay?.cwd ?? cwd;
  const givenArgs = [...(replay?.jestArgs ?? []), ...args.jestArgs];
  const nodeFlags = nodeFlagsFor(replay);
  const jestBin = resolveJestBin(runCwd);
  // The manifest's files are relative to Jest's rootDir, which Jest resolves through symlinks (as its test paths).
  const waiting = progress();
  waiting.update('flakeguard rerun: asking Jest for its config…');
  let jest: JestProjects;
  try {
    jest = await jestProjects(jestBin, nodeFlags, givenArgs, runCwd);
  } finally {
    waiting.done();
  }
  const plan = planRerun(manifest, jest, { flaky: args.flaky });
  const missing = new Set(plan.files.filter((file) => !fs.existsSync(file)));
  const files = plan.files.filter((file) => !missing.has(file));
  const tests = plan.targets.filter((t) => t.titles).length;
  const wholeFiles = plan.targets.length - tests;
  const what = [tests ? plural(tests, 'test') : '', wholeFiles ? plural(wholeFiles, 'whole file') : ''].filter(Boolean).join(' and ');
  console.error(`flakeguard rerun: ${what} from ${inline(shown)}, in ${plural(files.length, 'file')}`);

  let status = 0;
  let results: RerunFileResult[] = [];
  if (files.length > 0) {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-rerun-'));
    try {
      const selectionFile = path.join(scratch, 'selection.json');
      const reportFile = path.join(scratch, 'jest-report.json');
      const env = sendSelection(process.env, selectionFile, plan.selection);
      assertNoOption(files);
      const jestArgs = [
        ...givenArgs,
        '--json',
        `--outputFile=${reportFile}`,
        ...projectArgs(plan.projects, args.jestArgs),
        ...nameArgs(plan.targets, args.jestArgs),
        '--runTestsByPath',
        ...files,
      ];
      status = await runJest(jestBin, nodeFlags, jestArgs, env, runCwd);
      results = readJestReport(reportFile) ?? [];
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }

  const notFound = targetsNotFound(plan.targets, results, { fileExists: (file) => !missing.has(file) });
  for (const entry of notFound) console.error(`flakeguard rerun: not found: ${describeTarget(entry.target)} (${whyNotFound(entry, jest)})`);
  if (notFound.length > 0) {
    // With nothing to hand Jest there is no rerun manifest: the one given still names them.
    const kept = results.length > 0 ? "the rerun's own last-run.json keeps them as failed" : `${inline(shown)} is unchanged`;
    console.error(`flakeguard rerun: ${kept}; a full run of the suite writes a fresh manifest`);
  }
  for (const file of unselectedRuns(plan.targets, results)) {
    console.error(
      `flakeguard rerun: tests the manifest does not name ran in ${inline(file)}: use testEnvironment 'jest-flakeguard/environment' to run exactly the named ones`,
    );
  }
  // A named test that could not be found is never a pass.
  return status === 0 && notFound.length > 0 ? 1 : status;
}

/**
 * `.flakeguard/last-run.json` here, else under the rootDir of the Jest these arguments start (a config in a
 * subfolder, `flakeguard rerun --config sub/jest.config.js`): where the reporter of that config wrote it.
 */
async function defaultManifest(cwd: string, jestArgs: readonly string[]): Promise<string> {
  const here = path.resolve(cwd, DEFAULT_MANIFEST);
  if (fs.existsSync(here)) return here;
  let jestBin: string;
  try {
    jestBin = resolveJestBin(cwd);
  } catch {
    return here; // no Jest here: the missing manifest is the error to report
  }
  const waiting = progress();
  waiting.update('flakeguard rerun: asking Jest where its rootDir is…');
  try {
    const { rootDir } = await jestProjects(jestBin, process.execArgv, jestArgs, cwd);
    const there = outputPaths(rootDir).manifest;
    return fs.existsSync(there) ? there : here;
  } finally {
    waiting.done();
  }
}

/** How to repeat the manifest's run, or null for a manifest that does not say (older, or written under runCLI). */
function replayOf(manifest: Manifest, manifestPath: string, shown: string, userArgs: readonly string[]): Replay | null {
  const invocation = manifest.invocation;
  if (!invocation) return null;
  const rootDir = runRootDir(manifestPath, invocation);
  if (rootDir === null && (invocation.config !== null || invocation.cwd !== '.')) {
    console.error(
      `flakeguard rerun: ${inline(shown)} is not in the ${inline(invocation.outputDir)} folder its run wrote it to, so its run's directory and config are not repeated (give --config yourself)`,
    );
  }
  const replay = replayInvocation(invocation, rootDir, userArgs, isDirectory);
  const config = replay.jestArgs.find((arg) => arg.startsWith('--config='));
  if (config && !fs.existsSync(config.slice('--config='.length))) {
    console.error(`flakeguard rerun: the run's config ${inline(invocation.config ?? '')} is gone; Jest looks for one itself`);
    replay.jestArgs = replay.jestArgs.filter((arg) => arg !== config);
  }
  return replay;
}

const isDirectory = (dir: string): boolean => {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
};

/** This command's own node flags, then the run's that are missing (NODE_OPTIONS reaches Jest by the environment). */
function nodeFlagsFor(replay: Replay | null): string[] {
  const present = new Set([...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)]);
  return [...process.execArgv, ...(replay?.nodeFlags ?? []).filter((flag) => !present.has(flag))];
}

/**
 * The named tests again as an anchored `--testNamePattern`, for projects on Jest's own environment, which never reads
 * the selection file (ours applies the exact selection either way). Not when the user gave a pattern of their own.
 */
function nameArgs(targets: readonly RerunTarget[], jestArgs: readonly string[]): string[] {
  if (jestArgs.some((arg) => /^(-t|--testNamePattern|--test-name-pattern)(=|$)/.test(arg))) return [];
  const pattern = exactNamePattern(targets.filter((target) => target.refused === null));
  return pattern ? [`--testNamePattern=${pattern}`] : [];
}

export const command: Command = {
  summary: 'run exactly the failed tests of the last run (or a merged manifest) again',
  run: rerun,
};
