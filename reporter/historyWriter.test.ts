import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { RunRecord, TestRecord } from '../core/runRecord';
import { readHistory } from '../io/historyFile';
import { writeHistory } from './historyWriter';

const test_ = (titles: string[], status: TestRecord['status'], attempts = 1): TestRecord => ({
  titles,
  status,
  attempts,
  durationMs: 1,
  failures: status === 'failed' ? ['Error: no'] : [],
  earlierFailures: attempts > 1 && status === 'passed' ? ['Error: first'] : [],
  line: null,
  column: null,
});

const run = (startedAt: string, interrupted = false): RunRecord => ({
  startedAt,
  finishedAt: startedAt,
  jestVersion: '30.0.0',
  shard: null,
  seed: null,
  interrupted,
  otherFailure: false,
  files: [{ project: null, file: 'a.test.ts', durationMs: 1, error: null, tests: [test_(['ok'], 'passed'), test_(['flaky'], 'passed', 2), test_(['bad'], 'failed')] }],
  notRun: [],
  findings: [],
});

describe('writeHistory', () => {
  let dir: string;
  let history: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-history-'));
    history = path.join(dir, 'history');
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("records a finished run's outcomes, keeping the last `limit` runs", () => {
    expect(writeHistory(run('2026-01-01T00:00:00.000Z'), true, history, 2)).toBe(true);
    writeHistory(run('2026-01-02T00:00:00.000Z'), true, history, 2);
    writeHistory(run('2026-01-03T00:00:00.000Z'), true, history, 2);
    const read = readHistory(history);
    expect(read.tests.map((t) => t.titles)).toEqual([['ok'], ['flaky'], ['bad']]);
    expect(read.runs.map((r) => [r.startedAt, r.outcomes])).toEqual([
      ['2026-01-02T00:00:00.000Z', 'PKF'],
      ['2026-01-03T00:00:00.000Z', 'PKF'],
    ]);
  });

  test('an interrupted run, or one whose manifest was not written, records nothing', () => {
    expect(writeHistory(run('2026-01-01T00:00:00.000Z', true), true, history, 5)).toBe(false);
    expect(writeHistory(run('2026-01-01T00:00:00.000Z'), false, history, 5)).toBe(false);
    expect(fs.existsSync(history)).toBe(false);
  });

  test('a history that cannot be written is a one-line warning, never a throw', () => {
    fs.writeFileSync(history, 'a file where the directory goes');
    expect(writeHistory(run('2026-01-01T00:00:00.000Z'), true, history, 5)).toBe(false);
    const warnings = stderr.mock.calls.map(([text]) => String(text));
    expect(warnings).toEqual([expect.stringMatching(/^flakeguard: cannot record the flake history \(.+\); the run's results and exit code are unaffected\n$/)]);
  });
});
