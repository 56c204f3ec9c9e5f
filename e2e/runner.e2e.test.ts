// The runner under everything a stock Jest run supports: crashes, syntax errors, in-band runs, --bail,
// --shard, projects, coverage, and a pair of files that truly collide.
import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, JEST_MAJOR, removeFixture, runFlakeguard, runJest, runJestJson, TEST_PATH_PATTERN_FLAG } from './harness';
import { overlaps, readTimeline } from './timeline';

const copies: string[] = [];
function fixture(name: string): string {
  const dir = copyFixture(name);
  copies.push(dir);
  return dir;
}
afterAll(() => copies.forEach(removeFixture));

const statusByFile = (json: { testResults: Array<{ name: string; status: string }> }) =>
  Object.fromEntries(json.testResults.map((result) => [path.basename(result.name), result.status]));

/** Jest runs ≤ 20 files with fast cached timings in band: forget the timings to keep the worker pool. */
const forgetTimings = (dir: string) => fs.rmSync(path.join(dir, '.jest-cache'), { recursive: true, force: true });

describe('a pair of files that collide over one directory', () => {
  test('stock jest-runner overlaps them and one fails', async () => {
    const dir = fixture('collide');
    // Each file waits up to 60 s for the other to start, so side by side they always collide, however loaded the machine.
    const { json } = await runJestJson(dir, ['--ci', '--maxWorkers=3', '--runner', 'jest-runner'], { COLLIDE_WAIT_MS: '60000' });
    expect(json.numFailedTests).toBe(1);
    expect(JSON.stringify(json.testResults)).toContain('EEXIST');
  });

  // Proved by the files' own marks, not by repetition: the file that started second started after the first was done.
  // The second run classifies them from the warm pragma cache. (The order itself is proved in runner/runLanes.test.ts.)
  test('jest-flakeguard keeps them apart: in a cold and a warm run, one starts after the other is done', async () => {
    const dir = fixture('collide');
    const mark = (name: string) => fs.statSync(path.join(dir, '.state', name)).mtimeMs;
    for (let run = 0; run < 2; run++) {
      fs.rmSync(path.join(dir, '.state'), { recursive: true, force: true });
      forgetTimings(dir);
      const { json } = await runJestJson(dir, ['--ci', '--maxWorkers=3']);
      expect(json.numPassedTests).toBe(2);
      const [first, second] = mark('a.started') <= mark('b.started') ? ['a', 'b'] : ['b', 'a'];
      expect(mark(`${second}.started`)).toBeGreaterThanOrEqual(mark(`${first}.done`));
    }
  });
});

test('a syntax error and a crashing worker in each lane: the run goes on and those files fail', async () => {
  const dir = fixture('runner-edges');
  const { json, status } = await runJestJson(dir, ['--ci', '--maxWorkers=3']);
  expect(status).toBe(1);
  expect(statusByFile(json)).toEqual({
    'parallel-ok.test.js': 'passed',
    'parallel-syntax.test.js': 'failed',
    'parallel-crash.test.js': 'failed',
    'serial-ok.test.js': 'passed',
    'serial-syntax.test.js': 'failed',
    'serial-crash.test.js': 'failed',
    'group-ok.test.js': 'passed',
    'group-syntax.test.js': 'failed',
    'group-crash.test.js': 'failed',
  });
  const messages = Object.fromEntries(json.testResults.map((result) => [path.basename(result.name), result.message]));
  expect(messages['serial-syntax.test.js']).toMatch(/SyntaxError|Unexpected token|Jest failed to parse/);
  expect(messages['serial-crash.test.js']).toMatch(/child process exceptions, exceeding retry limit/);
});

test('--runInBand: one process, parallel lane first, then resource groups, then @serial files', async () => {
  const dir = fixture('lanes');
  const { json, stderr } = await runJestJson(dir, ['--ci', '--runInBand']);
  expect(json.numPassedTests).toBe(13);
  expect(stderr).toContain('flakeguard: 6 parallel · 2 serial · 5 in resource groups (db ×3, port-4100 ×2)');
  const timeline = readTimeline(dir).sort((a, b) => a.start - b.start);
  expect(new Set(timeline.map((entry) => entry.pid)).size).toBe(1);
  expect(new Set(timeline.map((entry) => entry.workerId))).toEqual(new Set(['1']));
  const lanes = timeline.map((entry) => (entry.file.startsWith('parallel') ? 0 : entry.file.startsWith('exclusive') ? 2 : 1));
  expect(lanes).toEqual([...lanes].sort());
});

test('--bail stops after the first failing file: the serial lane never starts', async () => {
  const dir = fixture('lanes');
  fs.writeFileSync(path.join(dir, '__tests__', 'parallel-0-fails.test.js'), "test('fails', () => { expect(1).toBe(2); });\n");
  const { status } = await runJest(dir, ['--ci', '--maxWorkers=3', '--bail']);
  expect(status).toBe(1);
  const ran = readTimeline(dir).map((entry) => entry.file);
  expect(ran.filter((file) => file.startsWith('exclusive-'))).toEqual([]);
});

test('--shard: the two halves run disjoint files that together are the whole suite, lanes kept', async () => {
  const dir = fixture('lanes');
  const first = await runJestJson(dir, ['--ci', '--maxWorkers=3', '--shard=1/2']);
  const firstFiles = readTimeline(dir);
  fs.rmSync(path.join(dir, '.timeline'), { recursive: true });
  const second = await runJestJson(dir, ['--ci', '--maxWorkers=3', '--shard=2/2']);
  const secondFiles = readTimeline(dir);
  const names = (entries: typeof firstFiles) => entries.map((entry) => entry.file).sort();
  expect(first.json.numPassedTests + second.json.numPassedTests).toBe(13);
  expect(names(firstFiles).filter((file) => names(secondFiles).includes(file))).toEqual([]);
  expect([...names(firstFiles), ...names(secondFiles)].sort()).toHaveLength(13);
  for (const shard of [firstFiles, secondFiles]) {
    for (const exclusive of shard.filter((entry) => entry.file.startsWith('exclusive-'))) {
      expect(shard.filter((other) => other !== exclusive && overlaps(exclusive, other))).toEqual([]);
    }
  }
});

test('workerIdleMemoryLimit reaches the pool: workers are recycled between files', async () => {
  const dir = fixture('lanes');
  // The six parallel files: the pool's own lane, where recycling shows.
  const { json } = await runJestJson(dir, ['--ci', '--maxWorkers=3', '--workerIdleMemoryLimit=2', TEST_PATH_PATTERN_FLAG, 'parallel-']);
  expect(json.numPassedTests).toBe(6);
  // With a 2-byte limit every worker is replaced after each file: more processes than workers.
  expect(new Set(readTimeline(dir).map((entry) => entry.pid)).size).toBeGreaterThan(3);
});

test('coverage merges across the parallel lane, a resource group and the serial lane', async () => {
  const dir = fixture('lanes-coverage');
  const run = await runJest(dir, ['--ci', '--maxWorkers=3', '--coverage', '--coverageReporters=json-summary']);
  expect(run.status).toBe(0);
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'coverage', 'coverage-summary.json'), 'utf8'));
  expect(summary.total.functions).toMatchObject({ total: 3, covered: 3 });
});

describe('projects sharing the runner', () => {
  type Event = { event: string; file: string; project: string | null; displayName?: string | null };
  const readEvents = (dir: string): Event[] =>
    fs
      .readFileSync(path.join(dir, '.events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Event);
  const projectOfFile = (file: string) => file.split('-')[0];

  test('--selectProjects runs only that project, through its lanes', async () => {
    const dir = fixture('projects');
    const { json } = await runJestJson(dir, ['--ci', '--maxWorkers=3', '--selectProjects', 'beta']);
    expect(json.testResults.map((result) => path.basename(result.name)).sort()).toEqual(['beta-plain.test.js', 'beta-serial.test.js']);
  });

  test("file events carry each file's own project", async () => {
    const dir = fixture('projects');
    await runJest(dir, ['--ci', '--maxWorkers=3']);
    const events = readEvents(dir).filter((event) => event.event.startsWith('file-'));
    expect(events).toHaveLength(8);
    for (const event of events) {
      expect(event.project).toBe(projectOfFile(event.file));
      if (event.event === 'file-result') expect(event.displayName).toBe(projectOfFile(event.file));
    }
  });

  // The runner tuple `[path, options]` arrived in Jest 30.5; Jest 29 has no way to give projects separate instances.
  (JEST_MAJOR >= 30 ? test : test.skip)('with a runner instance per project, per-test events carry the right project too', async () => {
    const dir = fixture('projects');
    await runJest(dir, ['--ci', '--maxWorkers=3', '-c', 'jest.separate.config.js']);
    const events = readEvents(dir).filter((event) => event.event.startsWith('case-'));
    expect(events).toHaveLength(12);
    for (const event of events) expect(event.project).toBe(projectOfFile(event.file));
  });
});

test('a typo of a pragma is a one-line warning naming file and line; the file still runs', async () => {
  const dir = fixture('lanes');
  fs.writeFileSync(path.join(dir, '__tests__', 'typo.test.js'), "/**\n * Talks to the queue.\n * @seriall queue\n */\ntest('runs anyway', () => {});\n");
  const { json, stderr } = await runJestJson(dir, ['--ci', '--maxWorkers=3']);
  expect(json.numPassedTests).toBe(14);
  expect(stderr).toContain('flakeguard: warning: __tests__/typo.test.js:3: unknown pragma @seriall: did you mean @serial? It is ignored');
  expect(stderr).toContain('flakeguard: 7 parallel');
});

test("the pragma cache lives in Jest's cacheDirectory: a warm run trusts it for files whose mtime and size did not change", async () => {
  const dir = fixture('lanes');
  await runJest(dir, ['--ci', '--maxWorkers=3']);
  const cache = JSON.parse(fs.readFileSync(path.join(dir, '.jest-cache', 'jest-flakeguard', 'pragmas-v3.json'), 'utf8'));
  expect(Object.keys(cache.files)).toHaveLength(13);
  // Same size, same mtime, other resource: only a run that re-reads the file would notice.
  const file = path.join(dir, '__tests__', 'port-a.test.js');
  const { mtime, atime } = fs.statSync(file);
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('port-4100', 'port-9999'));
  fs.utimesSync(file, atime, mtime);
  // The later runs choose the two port files: the split line names their resources, and the cache keeps all 13.
  const warm = await runJest(dir, ['--ci', '--maxWorkers=3', TEST_PATH_PATTERN_FLAG, 'port-']);
  expect(warm.stderr).toContain('flakeguard: 0 parallel · 0 serial · 2 in resource groups (port-4100 ×2)');
  // A real edit changes the mtime: the file is read again.
  fs.utimesSync(file, atime, new Date(mtime.getTime() + 5000));
  const edited = await runJest(dir, ['--ci', '--maxWorkers=3', TEST_PATH_PATTERN_FLAG, 'port-']);
  expect(edited.stderr).toContain('(port-4100 ×1, port-9999 ×1)');
});

describe('flakeguard lanes', () => {
  test('prints each file with its lane, and the split', async () => {
    const dir = fixture('lanes');
    const { stdout, status } = await runFlakeguard(dir, ['lanes']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^serial\s+__tests__\/exclusive-1\.test\.js$/m);
    expect(stdout).toMatch(/^group db\s+__tests__\/db-2\.test\.js$/m);
    expect(stdout).toMatch(/^parallel\s+__tests__\/parallel-6\.test\.js$/m);
    expect(stdout.trim().split('\n').pop()).toBe('flakeguard: 6 parallel · 2 serial · 5 in resource groups (db ×3, port-4100 ×2)');
  });

  test("--json, with Jest's own arguments passed through", async () => {
    const dir = fixture('lanes');
    const { stdout, status } = await runFlakeguard(dir, ['lanes', '--json', TEST_PATH_PATTERN_FLAG, 'port']);
    expect(status).toBe(0);
    expect(JSON.parse(stdout).files).toEqual([
      { file: '__tests__/port-a.test.js', lane: 'resources', resources: ['port-4100'] },
      { file: '__tests__/port-b.test.js', lane: 'resources', resources: ['port-4100'] },
    ]);
  });

  test('a bad Jest argument is one line and exit 2', async () => {
    const dir = fixture('lanes');
    const { stderr, status } = await runFlakeguard(dir, ['lanes', '--bogus-flag']);
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^flakeguard lanes: jest --listTests failed: .*bogus-flag/);
  });
});
