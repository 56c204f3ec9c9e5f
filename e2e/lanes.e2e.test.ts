import { copyFixture, removeFixture, runJestJson } from './harness';
import { overlappingPairs, overlaps, readTimeline, type Interval } from './timeline';

const byPrefix = (timeline: Interval[], prefix: string) => timeline.filter((entry) => entry.file.startsWith(prefix));

describe('lanes in a worker pool (--maxWorkers=3)', () => {
  let dir: string;
  let timeline: Interval[];
  let stderr: string;
  let numPassedTests: number;

  beforeAll(async () => {
    dir = copyFixture('lanes');
    const run = await runJestJson(dir, ['--maxWorkers=3']);
    expect(run.status).toBe(0);
    stderr = run.stderr;
    numPassedTests = run.json.numPassedTests;
    timeline = readTimeline(dir);
  });
  afterAll(() => removeFixture(dir));

  test('every file ran and passed', () => {
    expect(numPassedTests).toBe(13);
    expect(timeline).toHaveLength(13);
  });

  test('prints how the run was split, once', () => {
    const lines = stderr.split('\n').filter((line) => line.startsWith('flakeguard: '));
    expect(lines).toEqual(['flakeguard: 6 parallel · 2 serial · 5 in resource groups (db ×3, port-4100 ×2)']);
  });

  test('no file overlaps a running @serial file', () => {
    for (const exclusive of byPrefix(timeline, 'exclusive-')) {
      const others = timeline.filter((entry) => entry !== exclusive);
      expect(others.filter((other) => overlaps(exclusive, other)).map((other) => other.file)).toEqual([]);
    }
  });

  test('files sharing a resource never overlap', () => {
    expect(overlappingPairs(byPrefix(timeline, 'db-'))).toEqual([]);
    expect(overlappingPairs(byPrefix(timeline, 'port-'))).toEqual([]);
  });

  test('resource groups run alongside the parallel lane', () => {
    const grouped = [...byPrefix(timeline, 'db-'), ...byPrefix(timeline, 'port-')];
    const parallel = byPrefix(timeline, 'parallel-');
    expect(grouped.some((file) => parallel.some((other) => overlaps(file, other)))).toBe(true);
    // Two different resources are not one lock: a db file and a port file may share the clock.
    expect(byPrefix(timeline, 'db-').some((db) => byPrefix(timeline, 'port-').some((port) => overlaps(db, port)))).toBe(true);
  });

  test('the parallel lane ran in at least two processes', () => {
    expect(new Set(byPrefix(timeline, 'parallel-').map((entry) => entry.pid)).size).toBeGreaterThanOrEqual(2);
  });

  test('every file saw a JEST_WORKER_ID', () => {
    expect(timeline.filter((entry) => !entry.workerId)).toEqual([]);
  });
});
