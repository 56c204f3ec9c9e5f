// Runs real Jest (and our command line) on a copy of a fixture project, as a user would from that project.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..');
/** Which Jest the specs drive: the repo's Jest 30, or with FLAKEGUARD_E2E_JEST=29 the install in compat/jest29. */
export const JEST_MAJOR: 29 | 30 = process.env.FLAKEGUARD_E2E_JEST === '29' ? 29 : 30;
const JEST_HOME = JEST_MAJOR === 29 ? path.join(REPO, 'compat', 'jest29') : REPO;
export const JEST_BIN = path.join(JEST_HOME, 'node_modules', 'jest', 'bin', 'jest.js');
export const FLAKEGUARD_BIN = path.join(REPO, 'dist', 'cli', 'flakeguard.js');
/** Jest 30 renamed the path filter; 29 only knows the singular. */
export const TEST_PATH_PATTERN_FLAG = JEST_MAJOR === 29 ? '--testPathPattern' : '--testPathPatterns';
/**
 * Beside the Jest under test, so fixture copies resolve `jest`, `babel-jest`, `ts-jest` and `jest-flakeguard`
 * (a link to this checkout, made by `npm run build`) from that install's node_modules.
 */
const SCRATCH = path.join(JEST_HOME, '.e2e-tmp');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh copy of `fixtures/<name>` to run in; each spec writes only into its own copy. */
export function copyFixture(name: string): string {
  const source = path.join(REPO, 'fixtures', name);
  if (!fs.existsSync(source)) throw new Error(`no fixture ${name}`);
  fs.mkdirSync(SCRATCH, { recursive: true });
  const dir = fs.mkdtempSync(path.join(SCRATCH, `${name.replace(/[\\/]/g, '-')}-`));
  // Leftovers of a fixture run by hand (timelines, state, caches, reports) never reach a copy.
  const leftovers = new Set(['.timeline', '.state', '.jest-cache', '.flakeguard', '.events.jsonl', 'coverage', 'node_modules']);
  fs.cpSync(source, dir, { recursive: true, filter: (file) => !leftovers.has(path.basename(file)) });
  return dir;
}

export function removeFixture(dir: string): void {
  if (dir.startsWith(SCRATCH)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The environment of a child Jest: none of our own Jest's worker variables leak into it. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  delete env.JEST_WORKER_ID;
  delete env.GITHUB_ACTIONS;
  delete env.GITHUB_STEP_SUMMARY;
  return { ...env, ...extra };
}

/** Spawns `command` with exactly `env`, collects its output, and kills it after `timeoutMs` (a hung child is a failed spec, not a hung suite). */
export function spawnCollect(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export function runNode(script: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Promise<RunResult> {
  // The environment alone prints its findings; the specs read them from files instead, through the channel the
  // reporter uses (a reporter sets its own). Pass FLAKEGUARD_FINDINGS_DIR: '' to run as a user without one.
  const findings = { FLAKEGUARD_FINDINGS_DIR: path.join(cwd, '.flakeguard', 'findings') };
  return spawnCollect(process.execPath, [script, ...args], cwd, childEnv({ ...findings, ...env }), timeoutMs);
}

/** `jest <args>` in `cwd`, with a cache directory of the project's own so runs never share timings by accident. */
export function runJest(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return runNode(JEST_BIN, ['--cacheDirectory', path.join(cwd, '.jest-cache'), ...args], cwd, env);
}

export function runFlakeguard(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<RunResult> {
  return runNode(FLAKEGUARD_BIN, args, cwd, env, timeoutMs);
}

/** Jest's `--json` report, written to a file so console output cannot corrupt it. */
export interface JestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  numTotalTestSuites: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
  testResults: Array<{
    name: string;
    status: string;
    message: string;
    assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[]; invocations?: number }>;
  }>;
}

export async function runJestJson(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult & { json: JestJson }> {
  const outputFile = path.join(cwd, `.jest-result-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const result = await runJest(cwd, ['--json', '--outputFile', outputFile, ...args], env);
  if (!fs.existsSync(outputFile)) {
    throw new Error(`Jest wrote no JSON report (exit ${result.status})\n${result.stderr}`);
  }
  const json = JSON.parse(fs.readFileSync(outputFile, 'utf8')) as JestJson;
  return { ...result, json };
}
