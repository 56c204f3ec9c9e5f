import { stripAnsi } from './safeText';
import {
  buildManifest,
  classifyOutcome,
  FILE_GONE_MESSAGE,
  filesForHistory,
  firstLine,
  NOT_FOUND_MESSAGE,
  type FileRecord,
  type RunRecord,
  type TestRecord,
} from './runRecord';

function testRecord(titles: string[], overrides: Partial<TestRecord> = {}): TestRecord {
  return { titles, status: 'passed', attempts: 1, durationMs: 3, failures: [], earlierFailures: [], line: null, column: null, ...overrides };
}

function runRecord(files: FileRecord[], overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    startedAt: '2026-01-01T10:00:00.000Z',
    finishedAt: '2026-01-01T10:00:01.000Z',
    jestVersion: '30.5.2',
    shard: null,
    seed: 42,
    interrupted: false,
    otherFailure: false,
    files,
    notRun: [],
    findings: [],
    ...overrides,
  };
}

describe('classifyOutcome', () => {
  test.each([
    ['passed', 1, 'passed'],
    ['passed', 3, 'flaky'],
    ['failed', 3, 'failed'],
    ['skipped', 0, 'skipped'],
    ['todo', 0, 'todo'],
  ] as const)('%s after %i attempt(s) is %s', (status, attempts, outcome) => {
    expect(classifyOutcome({ status, attempts })).toBe(outcome);
  });
});

describe('messages', () => {
  test('firstLine skips blank lines and colour codes', () => {
    expect(firstLine('\n  \u001b[31mError: boom\u001b[39m  \n    at x')).toBe('Error: boom');
    expect(firstLine(undefined)).toBe('');
    expect(stripAnsi('\u001b[1m\u001b[2mx\u001b[22m')).toBe('x');
  });
});

describe('buildManifest', () => {
  const file: FileRecord = {
    project: 'unit',
    file: 'src/a.test.ts',
    durationMs: 10,
    error: null,
    tests: [
      testRecord(['ok']),
      testRecord(['flaky'], { attempts: 3, earlierFailures: ['Error: first\n at a', 'Error: second'] }),
      testRecord(['a b', 'c'], { status: 'failed', attempts: 2, failures: ['Error: last\n at b'], earlierFailures: ['Error: earlier'] }),
      testRecord(['a', 'b c']),
      testRecord(['skip'], { status: 'skipped', attempts: 0 }),
      testRecord(['todo'], { status: 'todo', attempts: 0 }),
    ],
  };

  test('counts every outcome and lists failed (last message) and flaky (first failure)', () => {
    const manifest = buildManifest(runRecord([file, { project: null, file: 'b.test.ts', durationMs: null, tests: [], error: '\n  SyntaxError: x\n' }]));
    expect(manifest.counts).toEqual({ passed: 2, failed: 1, flaky: 1, skipped: 1, todo: 1, fileErrors: 1, notRun: 0 });
    expect(manifest.failed).toEqual([{ project: 'unit', file: 'src/a.test.ts', titles: ['a b', 'c'], attempts: 2, message: 'Error: last' }]);
    expect(manifest.flaky).toEqual([{ project: 'unit', file: 'src/a.test.ts', titles: ['flaky'], attempts: 3, message: 'Error: first' }]);
    expect(manifest.fileErrors).toEqual([{ project: null, file: 'b.test.ts', message: 'SyntaxError: x' }]);
    expect(manifest.status).toBe('failed');
  });

  test('status: passed with only flaky tests; failed with files not run; interrupted wins', () => {
    const flakyOnly = runRecord([{ ...file, tests: file.tests.filter((t) => t.status !== 'failed') }]);
    expect(buildManifest(flakyOnly).status).toBe('passed');
    expect(buildManifest({ ...flakyOnly, notRun: [{ project: null, file: 'z.test.ts' }] })).toMatchObject({ status: 'failed', counts: { notRun: 1 } });
    expect(buildManifest({ ...flakyOnly, interrupted: true }).status).toBe('interrupted');
    expect(buildManifest({ ...flakyOnly, otherFailure: true }).status).toBe('failed');
  });

  test('what a rerun did not find stays failed: a test in failed, a gone file in fileErrors', () => {
    const passing = runRecord([{ project: null, file: 'a.test.ts', durationMs: null, tests: [testRecord(['ok'])], error: null }], {
      notFound: [
        { project: 'unit', file: 'a.test.ts', titles: ['renamed'], why: 'test-missing' },
        { project: null, file: 'gone.test.ts', titles: null, why: 'file-gone' },
      ],
    });
    const manifest = buildManifest(passing);
    expect(manifest.status).toBe('failed');
    expect(manifest.counts).toMatchObject({ passed: 1, failed: 1, fileErrors: 1 });
    expect(manifest.failed).toEqual([{ project: 'unit', file: 'a.test.ts', titles: ['renamed'], attempts: 0, message: NOT_FOUND_MESSAGE }]);
    expect(manifest.fileErrors).toEqual([{ project: null, file: 'gone.test.ts', message: FILE_GONE_MESSAGE }]);
  });
});

describe('filesForHistory', () => {
  test('tests a rerun left out are skipped for the history, so it still knows the whole file', () => {
    const files: FileRecord[] = [{ project: null, file: 'a.test.ts', durationMs: null, tests: [testRecord(['ran'])], error: null, unselected: [['left out']] }];
    expect(filesForHistory(files)[0]!.tests.map((t) => [t.titles, t.status])).toEqual([
      [['ran'], 'passed'],
      [['left out'], 'skipped'],
    ]);
    // The manifest still counts only what ran.
    expect(buildManifest(runRecord(files)).counts).toMatchObject({ passed: 1, skipped: 0 });
  });
});
