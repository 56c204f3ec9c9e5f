import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Config } from '@jest/types';
import { buildManifest, type RunRecord } from '../core/runRecord';
import { writeGithubOutput } from './githubOutput';

const run: RunRecord = {
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  jestVersion: '30.0.0',
  shard: null,
  seed: null,
  interrupted: false,
  otherFailure: false,
  files: [
    {
      project: null,
      file: 'src/a.test.ts',
      durationMs: 5,
      error: null,
      tests: [
        { titles: ['s', 'flaky'], status: 'passed', attempts: 2, durationMs: 1, failures: [], earlierFailures: ['Error: first'], line: 4, column: 2 },
        { titles: ['s', 'bad'], status: 'failed', attempts: 1, durationMs: 1, failures: ['Error: no'], earlierFailures: [], line: 9, column: 3 },
      ],
    },
  ],
  notRun: [],
  findings: [],
};
const manifest = buildManifest(run);

describe('writeGithubOutput', () => {
  let dir: string;
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-github-'));
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const globalConfig = (extra: Partial<Config.GlobalConfig> = {}): Config.GlobalConfig => ({ rootDir: path.join(dir, 'pkg'), json: false, ...extra }) as Config.GlobalConfig;
  const written = (spy: jest.SpyInstance): string => spy.mock.calls.map(([text]) => String(text)).join('');

  test('annotations on stdout, one line each, files relative to GITHUB_WORKSPACE; the step summary appended after what was there', () => {
    const summary = path.join(dir, 'summary.md');
    fs.writeFileSync(summary, 'an earlier step\n');
    writeGithubOutput(run, manifest, {
      globalConfig: globalConfig(),
      env: { GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary },
      manifestShown: 'out/last-run.json',
      command: 'pnpm exec flakeguard',
    });
    const lines = written(stdout).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^::warning file=pkg\/src\/a\.test\.ts,line=4,col=2,title=flaky%3A s › flaky::/);
    expect(lines[1]).toMatch(/^::error file=pkg\/src\/a\.test\.ts,line=9,col=3,title=s › bad::/);
    const text = fs.readFileSync(summary, 'utf8');
    expect(text.startsWith('an earlier step\n### ')).toBe(true);
    expect(text).toContain('pnpm exec flakeguard rerun --manifest out/last-run.json');
    expect(written(stderr)).toBe('');
  });

  test('without GITHUB_WORKSPACE files stay rootDir-relative; without GITHUB_STEP_SUMMARY nothing is appended', () => {
    writeGithubOutput(run, manifest, { globalConfig: globalConfig(), env: {}, manifestShown: '.flakeguard/last-run.json', command: 'npx flakeguard' });
    expect(written(stdout)).toContain('::error file=src/a.test.ts,');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('jest --json prints its report on stdout: the annotations go to stderr then, unless --outputFile takes the report', () => {
    writeGithubOutput(run, manifest, { globalConfig: globalConfig({ json: true }), env: {}, manifestShown: 'x', command: 'npx flakeguard' });
    expect(written(stdout)).toBe('');
    expect(written(stderr)).toContain('::error file=src/a.test.ts,');
    stderr.mockClear();
    writeGithubOutput(run, manifest, { globalConfig: globalConfig({ json: true, outputFile: 'r.json' }), env: {}, manifestShown: 'x', command: 'npx flakeguard' });
    expect(written(stdout)).toContain('::error');
    expect(written(stderr)).toBe('');
  });

  test('a passing run prints no annotations; an unwritable step summary is a one-line warning', () => {
    const passing = { ...run, files: [{ ...run.files[0]!, tests: [run.files[0]!.tests[0]!].map((t) => ({ ...t, attempts: 1, earlierFailures: [] })) }] };
    writeGithubOutput(passing, buildManifest(passing), {
      globalConfig: globalConfig(),
      env: { GITHUB_STEP_SUMMARY: path.join(dir, 'no', 'such', 'dir') },
      manifestShown: 'x',
      command: 'npx flakeguard',
    });
    expect(written(stdout)).toBe('');
    expect(written(stderr)).toMatch(/^flakeguard: cannot append to \$GITHUB_STEP_SUMMARY \(.+\); the run's results and exit code are unaffected\n$/);
  });
});
