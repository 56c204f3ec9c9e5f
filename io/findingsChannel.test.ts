import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding } from '../core/findings';
import type { FlakeguardError } from '../core/errors';
import { createFindingsDir, decodeFindingsFile, FINDINGS_CHANNEL_VERSION, findingsDir, findingsEnv, takeFindings, writeFindings } from './findingsChannel';

describe('createFindingsDir', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'findings-dirs-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("makes this run's directory, named by our pid, and sweeps only a dead process's ones", () => {
    const dead = path.join(tmp, 'flakeguard-findings-99999999-abc'); // above any pid_max: no such process
    const alive = path.join(tmp, `flakeguard-findings-${process.ppid}-abc`);
    const foreign = path.join(tmp, 'flakeguard-findings-x-abc');
    for (const dir of [dead, alive, foreign]) fs.mkdirSync(dir);
    const made = createFindingsDir(tmp);
    expect(path.basename(made)).toMatch(new RegExp(`^flakeguard-findings-${process.pid}-`));
    expect(fs.existsSync(made)).toBe(true);
    expect([dead, alive, foreign].map((dir) => fs.existsSync(dir))).toEqual([false, true, true]);
  });
});

describe('the findings channel', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-findings-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const finding = (project: string | null, message: string): Finding => ({
    check: 'unrestored-spy',
    project,
    file: '/p/a.test.js',
    titles: ['t'],
    message,
    at: null,
    severity: 'warn',
  });
  /** A findings file for /p/a.test.js as another writer (another jest-flakeguard, a hand edit) left it. */
  const foreignFile = (contents: unknown): string => {
    writeFindings(dir, '/p/a.test.js', [finding(null, 'ours')]);
    const file = path.join(dir, fs.readdirSync(dir)[0]!);
    fs.writeFileSync(file, JSON.stringify(contents));
    return file;
  };
  const take = (): { findings: Finding[]; problems: string[] } => {
    const problems: string[] = [];
    const findings = takeFindings(dir, '/p/a.test.js', undefined, (error: FlakeguardError) => problems.push(error.message));
    return { findings, problems };
  };

  test('round trip: the directory the reporter names reaches the environment; what it writes the reporter takes, once', () => {
    expect(findingsDir(findingsEnv(dir))).toBe(dir);
    expect(findingsDir({})).toBeUndefined();
    const full: Finding = { ...finding('flaky', 'all fields'), at: '/p/a.test.js:3:5', severity: 'error', tests: 2, reached: ['u'], outlivesFile: true };
    writeFindings(findingsDir(findingsEnv(dir))!, '/p/a.test.js', [full]);
    expect(take()).toEqual({ findings: [full], problems: [] });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('the same file run twice in one process (two projects) keeps both writes, each taken by its project', () => {
    writeFindings(dir, '/p/a.test.js', [finding('stable', 'first')]);
    writeFindings(dir, '/p/a.test.js', [finding('flaky', 'second')]);
    writeFindings(dir, '/p/b.test.js', [finding('stable', 'other file')]);
    expect(takeFindings(dir, '/p/a.test.js', 'flaky').map((f) => f.message)).toEqual(['second']);
    expect(takeFindings(dir, '/p/a.test.js', 'stable').map((f) => f.message)).toEqual(['first']);
    expect(takeFindings(dir, '/p/a.test.js', 'stable')).toEqual([]);
    expect(takeFindings(dir, '/p/b.test.js').map((f) => f.message)).toEqual(['other file']);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a file of another version is not taken: removed, and a one-line problem names it and the channel', () => {
    const file = foreignFile({ schemaVersion: FINDINGS_CHANNEL_VERSION + 1, testPath: '/p/a.test.js', findings: [finding(null, 'theirs')] });
    expect(take()).toEqual({
      findings: [],
      problems: [`${file}: findings channel: schemaVersion 2 is not this jest-flakeguard's (1): written by another version of jest-flakeguard`],
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test.each([
    ['no object', ['x'], 'not a findings file (an object with schemaVersion 1)'],
    ['no testPath', { schemaVersion: 1, findings: [] }, '"testPath" must be a path'],
    ['findings not a list', { schemaVersion: 1, testPath: '/p/a.test.js', findings: {} }, '"findings" must be a list'],
    ['an unknown check', { schemaVersion: 1, testPath: '/p/a.test.js', findings: [{ check: 'leaked-spy' }] }, 'findings[0].check must be a check name, not "leaked-spy"'],
    [
      'a finding of no severity',
      { schemaVersion: 1, testPath: '/p/a.test.js', findings: [{ ...finding(null, 'm'), severity: 'fatal' }] },
      "findings[0].severity must be 'error' or 'warn'",
    ],
    [
      'titles that are no list',
      { schemaVersion: 1, testPath: '/p/a.test.js', findings: [{ ...finding(null, 'm'), titles: 't' }] },
      'findings[0].titles must be a list of titles',
    ],
  ])('malformed: %s is not taken, and a one-line problem names the field', (_, contents, problem) => {
    const file = foreignFile(contents);
    expect(take()).toEqual({ findings: [], problems: [`${file}: findings channel: ${problem}`] });
    expect(() => decodeFindingsFile(contents, 'f.json')).toThrow(`f.json: findings channel: ${problem}`);
  });

  test('a torn file is a problem too; a missing directory is no findings', () => {
    const file = foreignFile({});
    fs.writeFileSync(file, '{ torn');
    const { findings, problems } = take();
    expect(findings).toEqual([]);
    expect(problems).toEqual([expect.stringMatching(/: findings channel: cannot read the file \([^\n]+\)$/)]);
    expect(takeFindings(path.join(dir, 'missing'), '/p/a.test.js')).toEqual([]);
  });

  test('the writer refuses what the reader would: a malformed finding is never written', () => {
    expect(() => writeFindings(dir, '/p/a.test.js', [{ ...finding(null, 'm'), at: 3 } as unknown as Finding])).toThrow(
      'findings channel: findings[0].at must be file:line:column or null',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
