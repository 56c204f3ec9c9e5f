import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AggregatedResult, Test, TestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import QuarantineReporter from './quarantineReporter';

let root: string;
const quarantineFile = () => path.join(root, '.flakeguard', 'quarantine.json');

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-qreporter-'));
  fs.mkdirSync(path.join(root, '.flakeguard'));
  for (const file of ['a.test.js', 'b.test.js']) fs.writeFileSync(path.join(root, file), '');
  fs.writeFileSync(
    quarantineFile(),
    JSON.stringify({
      schemaVersion: 1,
      entries: [
        { file: 'a.test.js', titles: ['suite', 'slow'], reason: 'races', added: '2026-11-01' },
        { file: 'b.test.js', titles: ['renamed away'], reason: 'races', added: '2026-11-01' },
      ],
    }),
  );
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const result = (file: string, titles: string[][], over: Partial<TestResult> = {}): TestResult =>
  ({
    testFilePath: path.join(root, file),
    displayName: { name: 'stable', color: 'green' },
    testResults: titles.map((t) => ({ ancestorTitles: t.slice(0, -1), title: t[t.length - 1], status: 'passed', invocations: 1 })),
    ...over,
  }) as unknown as TestResult;

/** The block the reporter prints after Jest's summary, line by line. */
async function printed(results: TestResult[]): Promise<string[]> {
  const reporter = new QuarantineReporter({} as Config.GlobalConfig, {
    rootDir: root,
    quarantineFile: quarantineFile(),
    expired: [],
    failOnFlaky: [],
  });
  const writes: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (writes.push(String(chunk)), true));
  try {
    reporter.onRunStart();
    for (const r of results) reporter.onTestFileResult({} as Test, r);
    reporter.onRunComplete(undefined, {} as AggregatedResult);
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    spy.mockRestore();
  }
  return writes.join('').split('\n').filter(Boolean);
}

test('a test-level entry whose test did not run in a file that ran is reported as gone', async () => {
  const lines = await printed([result('a.test.js', [['suite', 'slow']]), result('b.test.js', [['other']])]);
  expect(lines).toEqual([
    'flakeguard quarantine:',
    '  ! quarantine entry names a test that is gone: no test "b.test.js > renamed away"; remove it with `flakeguard quarantine prune`',
  ]);
});

test('a file that failed to load says nothing about its tests: no entry of it is reported as gone', async () => {
  const broken = { testExecError: { message: 'SyntaxError: Unexpected token', stack: '' } } as Partial<TestResult>;
  expect(await printed([result('a.test.js', [], broken), result('b.test.js', [], broken)])).toEqual([]);
  // Nor a file that reported no tests at all.
  expect(await printed([result('b.test.js', [])])).toEqual([]);
});

test("100,000 entries: the block stays a screenful, and each test is looked up among its own file's entries", async () => {
  const entries = Array.from({ length: 100_000 }, (_, i) => ({ file: `f${i}.test.js`, titles: ['gone'], reason: 'r', added: '2026-11-01' }));
  fs.writeFileSync(quarantineFile(), JSON.stringify({ schemaVersion: 1, entries }));
  for (let i = 0; i < 2_000; i++) fs.writeFileSync(path.join(root, `f${i}.test.js`), '');
  const results = Array.from({ length: 2_000 }, (_, i) => result(`f${i}.test.js`, [['other'], ['more']]));
  const lines = await printed(results);
  // 98,000 files are gone, and 2,000 ran without their quarantined test: 100,000 dangling entries, shown as 10 and a count.
  expect(lines).toHaveLength(1 + 10 + 1);
  expect(lines[1]).toBe('  ! quarantine entry names a test that is gone: file f2000.test.js does not exist; remove it with `flakeguard quarantine prune`');
  expect(lines[lines.length - 1]).toBe('  … and 99990 more');
});

test('an entry naming a file that is gone is reported from the quarantine itself, not from the config', async () => {
  fs.rmSync(path.join(root, 'b.test.js'));
  expect(await printed([result('a.test.js', [['suite', 'slow']])])).toEqual([
    'flakeguard quarantine:',
    '  ! quarantine entry names a test that is gone: file b.test.js does not exist; remove it with `flakeguard quarantine prune`',
  ]);
});
