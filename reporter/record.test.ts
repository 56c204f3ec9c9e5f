import type { TestResult } from '@jest/test-result';
import { createEmptyTestResult } from '@jest/test-result';
import type { Config } from '@jest/types';
import * as plannedTestsChannel from '../io/plannedTests';
import { publishPlannedTests, resetPlannedTests } from '../io/plannedTests';
import { RunCollector } from './collect';
import { byProjectAndFile, CHECKPOINT, runRecord, type RunFacts } from './record';

const ROOT = '/project';
const fileResult = (file: string): TestResult => ({ ...createEmptyTestResult(), testFilePath: `${ROOT}/${file}` });
const facts = (extra: Partial<Config.GlobalConfig> = {}, selection: RunFacts['selection'] = null): RunFacts => ({
  globalConfig: { rootDir: ROOT, watch: false, watchAll: false, ...extra } as Config.GlobalConfig,
  selection,
  invocation: null,
});
const FINAL = { interrupted: false, otherFailure: false, totalFiles: 3 };
const STARTED = new Date('2026-01-01T00:00:00.000Z');

describe('runRecord', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => (stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true)));
  afterEach(() => {
    jest.restoreAllMocks();
    resetPlannedTests();
  });
  const warnings = (): string[] => stderr.mock.calls.map(([text]) => String(text));

  // No runner published a plan. The registry outlives a reset (it is emptied, not removed, as in watch mode), so
  // "none" is said here, not left to running first: `flakeguard hunt --shuffle` on our own unit specs caught this
  // test passing only when it ran before the ones that publish.
  test('without the runner, files Jest counted and nobody can name are a warning (not in watch mode, not when interrupted)', () => {
    jest.spyOn(plannedTestsChannel, 'plannedTests').mockReturnValue(undefined);
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished(null, fileResult('a.test.ts'), []);
    runRecord(facts({ watch: true }), collector, STARTED, FINAL);
    runRecord(facts(), collector, STARTED, { ...FINAL, interrupted: true });
    runRecord(facts(), collector, STARTED, { ...FINAL, totalFiles: 1 });
    expect(warnings()).toEqual([]);
    runRecord(facts(), collector, STARTED, FINAL);
    expect(warnings()).toEqual([expect.stringMatching(/^flakeguard: 2 test file\(s\) never ran and cannot be named without runner: 'jest-flakeguard\/runner'/)]);
  });

  test('files sorted by file then project whatever order workers finished in; shard, seed, start time and Jest version recorded', () => {
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished('b', fileResult('z.test.ts'), []);
    collector.fileFinished('b', fileResult('a.test.ts'), []);
    collector.fileFinished(null, fileResult('a.test.ts'), []);
    const record = runRecord(facts({ shard: { shardIndex: 2, shardCount: 3 }, seed: 42 }), collector, STARTED, FINAL);
    expect(record.files.map((f) => [f.project, f.file])).toEqual([
      [null, 'a.test.ts'],
      ['b', 'a.test.ts'],
      ['b', 'z.test.ts'],
    ]);
    expect(record).toMatchObject({ startedAt: '2026-01-01T00:00:00.000Z', shard: '2/3', seed: 42, interrupted: false, otherFailure: false, notFound: [], invocation: null });
    expect(record.jestVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(warnings()).toEqual([]);
  });

  test("the runner's planned files that never reported are notRun, sorted; a checkpoint is interrupted and looks for no rerun targets", () => {
    publishPlannedTests([
      { path: `${ROOT}/c.test.ts`, project: null },
      { path: `${ROOT}/a.test.ts`, project: null },
      { path: `${ROOT}/b.test.ts`, project: null },
    ]);
    const collector = new RunCollector(ROOT, null);
    collector.fileFinished(null, fileResult('a.test.ts'), []);
    const selection = { schemaVersion: 1 as const, targets: [{ project: null, testPath: `${ROOT}/gone.test.ts`, titles: null }] };
    const record = runRecord(facts({}, selection), collector, STARTED, CHECKPOINT);
    expect(record.notRun).toEqual([
      { project: null, file: 'b.test.ts' },
      { project: null, file: 'c.test.ts' },
    ]);
    expect(record).toMatchObject({ interrupted: true, shard: null, seed: null, notFound: [] });
    expect(runRecord(facts({}, selection), collector, STARTED, FINAL).notFound).toEqual([{ project: null, file: 'gone.test.ts', titles: null, why: 'file-gone' }]);
  });

  test("another jest-flakeguard's plan in the process (a foreign registry) is a one-line warning naming the channel, and no plan", () => {
    const key = Symbol.for('jest-flakeguard.plannedTests'); // what every copy of jest-flakeguard shares
    const store = globalThis as Record<symbol, unknown>;
    const saved = store[key];
    store[key] = { version: 99, projects: new Map() };
    try {
      const collector = new RunCollector(ROOT, null);
      collector.fileStarted(null, `${ROOT}/a.test.ts`);
      expect(runRecord(facts(), collector, STARTED, CHECKPOINT).notRun).toEqual([{ project: null, file: 'a.test.ts' }]);
      expect(warnings()).toEqual([expect.stringMatching(/^flakeguard: .*planned-tests channel.*version 99/)]);
    } finally {
      store[key] = saved;
    }
  });

  test('byProjectAndFile: file first, then project (null first)', () => {
    const entries = [
      { project: 'b', file: 'x' },
      { project: null, file: 'x' },
      { project: 'a', file: 'w' },
    ];
    expect(entries.sort(byProjectAndFile)).toEqual([
      { project: 'a', file: 'w' },
      { project: null, file: 'x' },
      { project: 'b', file: 'x' },
    ]);
  });
});
