import type { AssertionResult, TestCaseResult, TestResult } from '@jest/test-result';
import { RunCollector } from './collect';

const ROOT = '/project';
const PATH = '/project/src/a.test.ts';

function assertion(titles: string[], status: AssertionResult['status'], extra: Partial<AssertionResult> = {}): AssertionResult {
  const title = titles[titles.length - 1]!;
  const ancestorTitles = titles.slice(0, -1);
  return { ancestorTitles, title, fullName: titles.join(' '), status, failureMessages: [], failureDetails: [], numPassingAsserts: 0, duration: 2, invocations: 1, ...extra } as AssertionResult;
}

function fileResult(testResults: AssertionResult[], extra: Partial<TestResult> = {}): TestResult {
  return { testFilePath: PATH, testResults, failureMessage: null, perfStats: { start: 0, end: 40 }, ...extra } as unknown as TestResult;
}

const attempt = (titles: string[], message: string): TestCaseResult =>
  ({ ...assertion(titles, 'failed'), failureMessages: [message] }) as TestCaseResult;

describe('RunCollector', () => {
  test('per-attempt failures become earlierFailures; the stack frame in the test file gives line and column', () => {
    const collector = new RunCollector(ROOT, null);
    collector.attemptFinished(PATH, attempt(['s', 'flaky'], `Error: first\n    at Object.<anonymous> (${PATH}:12:7)`));
    collector.attemptFinished(PATH, attempt(['s', 'fails'], 'Error: one'));
    collector.attemptFinished(PATH, attempt(['s', 'fails'], `Error: two\n    at x (${PATH}:20:3)`));
    collector.fileFinished(
      fileResult([
        assertion(['s', 'flaky'], 'passed', { invocations: 2 }),
        assertion(['s', 'fails'], 'failed', { invocations: 2, failureMessages: [`Error: two\n    at x (${PATH}:20:3)`] }),
        assertion(['s', 'ok'], 'passed'),
      ]),
      [],
    );
    const [file] = collector.files;
    expect(file).toMatchObject({ project: null, file: 'src/a.test.ts', durationMs: 40, error: null });
    expect(file!.tests.map((t) => [t.titles, t.status, t.attempts, t.earlierFailures.length, t.line, t.column])).toEqual([
      [['s', 'flaky'], 'passed', 2, 1, 12, 7],
      [['s', 'fails'], 'failed', 2, 1, 20, 3],
      [['s', 'ok'], 'passed', 1, 0, null, null],
    ]);
  });

  test('retryReasons stand in when no per-attempt result was seen', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished(fileResult([assertion(['t'], 'passed', { invocations: 2, retryReasons: ['Error: from circus'] })]), []);
    expect(collector.files[0]!.tests[0]!.earlierFailures).toEqual(['Error: from circus']);
  });

  test('a file error: testExecError, or a failure message with no failed test (a throwing afterAll)', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished(fileResult([], { testExecError: { message: 'Cannot find module x', stack: '' } }), []);
    collector.fileFinished(fileResult([assertion(['t'], 'passed')], { testFilePath: '/project/b.test.ts', failureMessage: '● afterAll failed' }), []);
    collector.fileFinished(fileResult([assertion(['t'], 'failed')], { testFilePath: '/project/c.test.ts', failureMessage: '● t failed' }), []);
    expect(collector.files.map((f) => f.error)).toEqual(['Cannot find module x', '● afterAll failed', null]);
  });

  test('tests a rerun selection left out are not part of the run (not counted as skipped)', () => {
    const collector = new RunCollector(ROOT, { schemaVersion: 1, include: { [PATH]: [['a b', 'c']] } });
    collector.fileFinished(
      fileResult([assertion(['a b', 'c'], 'passed'), assertion(['a', 'b c'], 'pending'), assertion(['later'], 'todo')]),
      [],
    );
    expect(collector.files[0]!.tests.map((t) => t.titles)).toEqual([['a b', 'c']]);
  });

  test('notRun: planned or started files without a result, keyed by project and path', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileStarted('unit', '/project/started.test.ts');
    collector.fileFinished(fileResult([]), []);
    expect(
      collector.notRun([
        { project: null, path: PATH },
        { project: 'unit', path: PATH },
        { project: null, path: '/project/never.test.ts' },
      ]),
    ).toEqual([
      { project: 'unit', file: 'src/a.test.ts' },
      { project: null, file: 'never.test.ts' },
      { project: 'unit', file: 'started.test.ts' },
    ]);
  });

  test('findings get rootDir-relative files and lose their severity', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished(fileResult([]), [
      { check: 'unrestored-spy', project: null, file: PATH, titles: ['t'], message: 'spy on a.b', at: 'src/a.test.ts:3:1', severity: 'warn' },
    ]);
    expect(collector.findings).toEqual([{ check: 'unrestored-spy', project: null, file: 'src/a.test.ts', titles: ['t'], message: 'spy on a.b', at: 'src/a.test.ts:3:1' }]);
  });
});
