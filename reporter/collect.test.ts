import type { AssertionResult, TestCaseResult, TestResult } from '@jest/test-result';
import { RunCollector } from './collect';

const ROOT = '/project';
const PATH = '/project/src/a.test.ts';

function assertion(titles: string[], status: AssertionResult['status'], extra: Partial<AssertionResult> = {}): AssertionResult {
  const title = titles[titles.length - 1]!;
  const ancestorTitles = titles.slice(0, -1);
  return {
    ancestorTitles,
    title,
    fullName: titles.join(' '),
    status,
    failureMessages: [],
    failureDetails: [],
    numPassingAsserts: 0,
    duration: 2,
    invocations: 1,
    ...extra,
  } as AssertionResult;
}

function fileResult(testResults: AssertionResult[], extra: Partial<TestResult> = {}): TestResult {
  return { testFilePath: PATH, testResults, failureMessage: null, perfStats: { start: 0, end: 40 }, ...extra } as unknown as TestResult;
}

const attempt = (titles: string[], message: string): TestCaseResult => ({ ...assertion(titles, 'failed'), failureMessages: [message] }) as TestCaseResult;

describe('RunCollector', () => {
  test('per-attempt failures become earlierFailures; the stack frame in the test file gives line and column', () => {
    const collector = new RunCollector(ROOT, null);
    collector.attemptFinished(PATH, attempt(['s', 'flaky'], `Error: first\n    at Object.<anonymous> (${PATH}:12:7)`));
    collector.attemptFinished(PATH, attempt(['s', 'fails'], 'Error: one'));
    collector.attemptFinished(PATH, attempt(['s', 'fails'], `Error: two\n    at x (${PATH}:20:3)`));
    collector.fileFinished(
      null,
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
    collector.fileFinished(null, fileResult([assertion(['t'], 'passed', { invocations: 2, retryReasons: ['Error: from circus'] })]), []);
    expect(collector.files[0]!.tests[0]!.earlierFailures).toEqual(['Error: from circus']);
  });

  test('a file error: testExecError, or a failure message with no failed test (a throwing afterAll)', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished(null, fileResult([], { testExecError: { message: 'Cannot find module x', stack: '' } }), []);
    collector.fileFinished(null, fileResult([assertion(['t'], 'passed')], { testFilePath: '/project/b.test.ts', failureMessage: '● afterAll failed' }), []);
    collector.fileFinished(null, fileResult([assertion(['t'], 'failed')], { testFilePath: '/project/c.test.ts', failureMessage: '● t failed' }), []);
    expect(collector.files.map((f) => f.error)).toEqual(['Cannot find module x', '● afterAll failed', null]);
  });

  test('tests a rerun selection left out are not part of the run (not counted as skipped)', () => {
    const collector = new RunCollector(ROOT, { schemaVersion: 1, include: { [PATH]: [['a b', 'c']] } });
    collector.fileFinished(null, fileResult([assertion(['a b', 'c'], 'passed'), assertion(['a', 'b c'], 'pending'), assertion(['later'], 'todo')]), []);
    expect(collector.files[0]!.tests.map((t) => t.titles)).toEqual([['a b', 'c']]);
    // …but the flake history must still know they exist (a prune would otherwise forget them).
    expect(collector.files[0]!.unselected).toEqual([['a', 'b c']]); // todo tests never reach the history
  });

  test('a file run in two projects: each result claims its own failed attempts, never those of the other project', () => {
    const collector = new RunCollector(ROOT, null);
    // Jest reports attempts by path only; both projects' copies of the file retried `t`.
    collector.attemptFinished(PATH, attempt(['t'], 'Error: stable attempt'));
    collector.attemptFinished(PATH, attempt(['t'], 'Error: flaky attempt'));
    collector.fileFinished('stable', fileResult([assertion(['t'], 'passed', { invocations: 2 })]), []);
    collector.fileFinished('flaky', fileResult([assertion(['t'], 'passed', { invocations: 2 })]), []);
    expect(collector.files.map((f) => [f.project, f.tests[0]!.earlierFailures])).toEqual([
      ['stable', ['Error: stable attempt']],
      ['flaky', ['Error: flaky attempt']],
    ]);
  });

  test('the project given for a file that failed to load is the one its notRun entry would have had', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileStarted('stable', PATH);
    collector.fileFinished('stable', fileResult([], { testExecError: { message: 'SyntaxError', stack: '' } }), []);
    expect(collector.files.map((f) => [f.project, f.error])).toEqual([['stable', 'SyntaxError']]);
    expect(collector.notRun([{ project: 'stable', path: PATH }])).toEqual([]);
  });

  test('notRun: planned or started files without a result, keyed by project and path', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileStarted('unit', '/project/started.test.ts');
    collector.fileFinished(null, fileResult([]), []);
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
    collector.fileFinished(null, fileResult([]), [
      { check: 'unrestored-spy', project: null, file: PATH, titles: ['t'], message: 'spy on a.b', at: 'src/a.test.ts:3:1', severity: 'warn' },
    ]);
    expect(collector.findings).toEqual([{ check: 'unrestored-spy', project: null, file: 'src/a.test.ts', titles: ['t'], message: 'spy on a.b', at: 'src/a.test.ts:3:1' }]);
  });
});
