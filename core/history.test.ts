import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { FlakeguardError } from './errors';
import {
  appendRun,
  emptyHistory,
  latestTitlesByFile,
  defaultRunId,
  runOutcomesFromFiles,
  mergeHistories,
  parseHistory,
  serializeHistory,
  type History,
  type Outcome,
  type RunOutcomes,
} from './history';
import { readHistory, recordRun, writeHistory } from '../io/historyFile';

type Row = [string, Outcome];
/** A run of tests named by `file:title` in project null. */
const run = (runId: string, startedAt: string, rows: Row[]): RunOutcomes => ({
  runId,
  startedAt,
  tests: rows.map(([name, outcome]) => {
    const [file, title] = name.split(':') as [string, string];
    return { project: null, file, titles: [title], outcome };
  }),
});
const names = (history: History) => history.tests.map((t) => `${t.file}:${t.titles.join('>')}`);
const table = (history: History) => history.runs.map((r) => `${r.id}=${r.outcomes}`);

describe('appendRun', () => {
  test('interns tests once and writes one character per test per run', () => {
    let history = appendRun(
      emptyHistory(),
      run('r1', '2026-11-01T00:00:00Z', [
        ['a:1', 'passed'],
        ['a:2', 'failed'],
      ]),
    );
    history = appendRun(
      history,
      run('r2', '2026-11-02T00:00:00Z', [
        ['a:2', 'flaky'],
        ['b:1', 'skipped'],
      ]),
    );
    expect(names(history)).toEqual(['a:1', 'a:2', 'b:1']);
    expect(table(history)).toEqual(['r1=PF', 'r2=.KS']);
  });

  test('keeps the last `limit` runs and drops tests no kept run mentions', () => {
    let history = emptyHistory();
    history = appendRun(
      history,
      run('r1', '2026-11-01', [
        ['gone:1', 'passed'],
        ['a:1', 'passed'],
      ]),
      2,
    );
    history = appendRun(history, run('r2', '2026-11-02', [['a:1', 'failed']]), 2);
    history = appendRun(
      history,
      run('r3', '2026-11-03', [
        ['a:1', 'passed'],
        ['new:1', 'passed'],
      ]),
      2,
    );
    expect(names(history)).toEqual(['a:1', 'new:1']);
    expect(table(history)).toEqual(['r2=F', 'r3=PP']);
  });

  test('the same run id is one run: shards unite, the worst outcome stands', () => {
    let history = appendRun(
      emptyHistory(),
      run('r1', '2026-11-01T10:00:00Z', [
        ['a:1', 'failed'],
        ['a:2', 'passed'],
      ]),
    );
    history = appendRun(
      history,
      run('r1', '2026-11-01T09:59:00Z', [
        ['a:1', 'passed'],
        ['b:1', 'flaky'],
      ]),
    );
    expect(table(history)).toEqual(['r1=FPK']);
    expect(history.runs[0]!.startedAt).toBe('2026-11-01T09:59:00Z');
  });

  test('the stable and flaky halves of one project are one test; the worst outcome of a run stands', () => {
    const history = appendRun(emptyHistory(), {
      runId: 'r1',
      startedAt: '2026-11-01',
      tests: [
        { project: 'stable', file: 'a', titles: ['t'], outcome: 'skipped' },
        { project: 'flaky', file: 'a', titles: ['t'], outcome: 'flaky' },
        { project: 'web stable', file: 'a', titles: ['t'], outcome: 'passed' },
        { project: 'web flaky', file: 'a', titles: ['t'], outcome: 'skipped' },
      ],
    });
    expect(history.tests).toEqual([
      { project: null, file: 'a', titles: ['t'] },
      { project: 'web', file: 'a', titles: ['t'] },
    ]);
    expect(table(history)).toEqual(['r1=KP']);
  });

  test('title paths are compared whole, not joined', () => {
    const history = appendRun(emptyHistory(), {
      runId: 'r1',
      startedAt: '2026-11-01',
      tests: [
        { project: null, file: 'a', titles: ['x y', 'z'], outcome: 'passed' },
        { project: null, file: 'a', titles: ['x', 'y z'], outcome: 'failed' },
      ],
    });
    expect(history.tests).toHaveLength(2);
    expect(table(history)).toEqual(['r1=PF']);
  });

  test('two tests of one file with the same title path (a loop, an it.each naming no parameter) are two histories', () => {
    const loop = (outcomes: Outcome[], runId: string): RunOutcomes => ({
      runId,
      startedAt: `2026-11-0${runId.slice(1)}`,
      tests: outcomes.flatMap((outcome) => [
        { project: 'stable', file: 'a', titles: ['renders', 'matches'], outcome },
        // The flaky half's copy of the same test is the same test, not a second one.
        { project: 'flaky', file: 'a', titles: ['renders', 'matches'], outcome: 'skipped' as const },
      ]),
    });
    let history = appendRun(emptyHistory(), loop(['passed', 'failed', 'passed'], 'r1'));
    history = appendRun(history, loop(['passed', 'passed', 'flaky'], 'r2'));
    expect(history.tests).toEqual([
      { project: null, file: 'a', titles: ['renders', 'matches'] },
      { project: null, file: 'a', titles: ['renders', 'matches'], occurrence: 2 },
      { project: null, file: 'a', titles: ['renders', 'matches'], occurrence: 3 },
    ]);
    expect(table(history)).toEqual(['r1=PFP', 'r2=PPK']);
    // Written and read back, and merged with itself, they stay three.
    const back = parseHistory(serializeHistory(history), 'h.json.gz');
    expect(back).toEqual(history);
    expect(mergeHistories([back, history]).tests).toHaveLength(3);
  });

  test('an occurrence below 2 or not a number is a corrupt history', () => {
    const bad = Buffer.from(JSON.stringify({ schemaVersion: 1, tests: [[null, 'a', ['t'], 1]], runs: [] }));
    expect(() => parseHistory(bad, 'h.json')).toThrow("tests[0]'s occurrence must be a whole number ≥ 2");
  });
});

describe('mergeHistories', () => {
  const a = appendRun(
    appendRun(
      emptyHistory(),
      run('r1', '2026-11-01', [
        ['a:1', 'passed'],
        ['a:2', 'passed'],
      ]),
    ),
    run('r3', '2026-11-03', [['a:2', 'failed']]),
  );
  const b = appendRun(
    appendRun(
      emptyHistory(),
      run('r2', '2026-11-02', [
        ['b:1', 'flaky'],
        ['a:2', 'passed'],
      ]),
    ),
    run('r3', '2026-11-03', [['a:2', 'failed']]),
  );

  test('unites tables, deduplicates runs by id and orders them by time', () => {
    const merged = mergeHistories([a, b]);
    expect(names(merged)).toEqual(['a:1', 'a:2', 'b:1']);
    expect(table(merged)).toEqual(['r1=PP', 'r2=.PK', 'r3=.F']);
  });

  test('merging a history with itself changes nothing', () => {
    expect(mergeHistories([a, a])).toEqual(a);
  });

  test('keeps the newest `limit` runs', () => {
    const merged = mergeHistories([b, a], 2);
    expect(table(merged)).toEqual(['r2=KP', 'r3=.F']);
    expect(names(merged)).toEqual(['b:1', 'a:2']);
  });
});

describe('files', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-history-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('recordRun appends to the directory, bounded, leaving no temp or lock files', () => {
    const historyDir = path.join(dir, '.flakeguard', 'history');
    recordRun(historyDir, run('r1', '2026-11-01', [['a:1', 'passed']]), { limit: 2 });
    recordRun(historyDir, run('r2', '2026-11-02', [['a:1', 'failed']]), { limit: 2 });
    const result = recordRun(historyDir, run('r3', '2026-11-03', [['a:1', 'flaky']]), { limit: 2 });
    expect(result).toMatchObject({ runs: 2, tests: 1 });
    expect(result.bytes).toBe(fs.statSync(result.file).size);
    expect(table(readHistory(historyDir))).toEqual(['r2=F', 'r3=K']);
    expect(fs.readdirSync(historyDir)).toEqual(['history.json.gz']);
  });

  test('recordRun refuses a limit below 1', () => {
    expect(() => recordRun(dir, run('r1', '2026-11-01', []), { limit: 0 })).toThrow('historyLimit must be a positive integer');
  });

  test('an absent history is empty; plain JSON is read too', () => {
    expect(readHistory(dir)).toEqual(emptyHistory());
    const file = path.join(dir, 'h.json');
    fs.writeFileSync(file, zlib.gunzipSync(serializeHistory(appendRun(emptyHistory(), run('r1', 't', [['a:1', 'passed']])))));
    expect(table(readHistory(file))).toEqual(['r1=P']);
  });

  test('a corrupt or foreign history is one line naming the file', () => {
    const file = path.join(dir, 'history.json.gz');
    for (const data of [
      Buffer.from('{"schemaVersion": 1,'),
      zlib.gzipSync('{"schemaVersion":1,"tests":[],"runs":[{"id":"x","startedAt":"t","outcomes":"P"}]}'),
      Buffer.from([0x1f, 0x8b, 1, 2]),
    ]) {
      fs.writeFileSync(file, data);
      let error: unknown;
      try {
        readHistory(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(FlakeguardError);
      expect((error as FlakeguardError).code).toBe('BAD_HISTORY');
      expect((error as Error).message.startsWith(`${file}: `)).toBe(true);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  test('writeHistory round-trips', () => {
    const history = appendRun(
      emptyHistory(),
      run('r1', '2026-11-01', [
        ['a:1', 'passed'],
        ['b:2', 'skipped'],
      ]),
    );
    writeHistory(dir, history);
    expect(readHistory(dir)).toEqual(history);
    expect(parseHistory(serializeHistory(history), 'x')).toEqual(history);
  });
});

test('latestTitlesByFile takes each file from the newest run that reported it', () => {
  let history = appendRun(
    emptyHistory(),
    run('r1', '2026-11-01', [
      ['a:old', 'passed'],
      ['a:kept', 'passed'],
      ['b:1', 'passed'],
    ]),
  );
  history = appendRun(
    history,
    run('r2', '2026-11-02', [
      ['a:kept', 'skipped'],
      ['a:new', 'failed'],
    ]),
  );
  expect(latestTitlesByFile(history)).toEqual(
    new Map([
      ['a', [['kept'], ['new']]],
      ['b', [['1']]],
    ]),
  );
});

test('runOutcomesFromFiles: retried passes are flaky, todo is left out', () => {
  const outcomes = runOutcomesFromFiles('r1', 't', [
    {
      project: 'stable',
      file: 'a.test.ts',
      tests: [
        { titles: ['p'], status: 'passed', attempts: 1 },
        { titles: ['k'], status: 'passed', attempts: 3 },
        { titles: ['f'], status: 'failed', attempts: 3 },
        { titles: ['s'], status: 'skipped', attempts: 0 },
        { titles: ['t'], status: 'todo', attempts: 0 },
      ],
    },
  ]);
  expect(outcomes.tests.map((t) => `${t.titles[0]}=${t.outcome}`)).toEqual(['p=passed', 'k=flaky', 'f=failed', 's=skipped']);
  expect(outcomes.tests[0]).toEqual({ project: 'stable', file: 'a.test.ts', titles: ['p'], outcome: 'passed' });
});

test('defaultRunId: one id per GitHub workflow attempt, unique elsewhere', () => {
  expect(defaultRunId('t', { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' })).toBe('gh-42-2');
  expect(defaultRunId('t', {})).not.toBe(defaultRunId('t', {}));
});
