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
    // LANES_MEET: each file waits to see the files it may run beside actually running (fixtures/lanes/timeline.js),
    // so "ran alongside" is proved by the run itself, not by timestamps a loaded machine can pull apart.
    const run = await runJestJson(dir, ['--maxWorkers=3'], { LANES_MEET: '1' });
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
    expect(grouped.filter((file) => file.met?.includes('parallel-')).length).toBeGreaterThan(0);
    // Two different resources are not one lock: a db file and a port file may share the clock.
    expect(byPrefix(timeline, 'db-').filter((db) => db.met?.includes('port-')).length).toBeGreaterThan(0);
    expect(byPrefix(timeline, 'port-').filter((port) => port.met?.includes('db-')).length).toBeGreaterThan(0);
  });

  test('the parallel lane ran in at least two processes', () => {
    expect(byPrefix(timeline, 'parallel-').filter((entry) => entry.met?.includes('parallel-')).length).toBeGreaterThan(0);
    expect(new Set(byPrefix(timeline, 'parallel-').map((entry) => entry.pid)).size).toBeGreaterThanOrEqual(2);
  });

  test('every file saw a JEST_WORKER_ID within 1…maxWorkers', () => {
    expect(timeline.filter((entry) => !['1', '2', '3'].includes(entry.workerId ?? '')).map((entry) => `${entry.file}: ${entry.workerId}`)).toEqual([]);
  });
});

describe('files naming several resources (--maxWorkers=3)', () => {
  // Pairs and a triple of db, port-4100 and cache, next to single-resource and parallel files, in an order in
  // which holds for starving files once formed a cycle: 17 of 19 files ran and Jest exited 0.
  let dir: string;
  let timeline: Interval[];
  let run: Awaited<ReturnType<typeof runJestJson>>;

  beforeAll(async () => {
    dir = copyFixture('lanes-multi');
    run = await runJestJson(dir, ['--maxWorkers=3']);
    timeline = readTimeline(dir);
  });
  afterAll(() => removeFixture(dir));

  test('every file ran and passed, and the run says so', () => {
    expect(run.status).toBe(0);
    expect(run.json.numTotalTestSuites).toBe(19);
    // A stalled run once ended with exit 0 and fewer results than files: count the results themselves.
    expect(run.json.testResults.filter((result) => result.status === 'passed')).toHaveLength(19);
    expect(timeline).toHaveLength(19);
    expect(run.stderr).toContain('flakeguard: 6 parallel · 0 serial · 13 in resource groups (cache ×3, db ×9, port-4100 ×7)');
  });

  test('no two files sharing a resource overlap', () => {
    const clashes: string[] = [];
    for (const resource of ['db', 'port-4100', 'cache']) {
      const users = timeline.filter((entry) => entry.resources?.includes(resource));
      expect(users.length).toBeGreaterThanOrEqual(3);
      for (const [a, b] of overlappingPairs(users)) clashes.push(`${resource}: ${a} / ${b}`);
    }
    expect(clashes).toEqual([]);
  });

  test('every file saw a JEST_WORKER_ID within 1…maxWorkers', () => {
    expect(timeline.filter((entry) => !['1', '2', '3'].includes(entry.workerId ?? '')).map((entry) => `${entry.file}: ${entry.workerId}`)).toEqual([]);
  });
});
