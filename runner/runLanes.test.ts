import type { Test, TestEvents, TestWatcher } from 'jest-runner';
import type { TestResult } from '@jest/test-result';
import { planLanes, type LaneFile } from '../core/lanes';
import type { LaneSpec } from '../core/pragmas';
import { RunnerEvents } from './events';
import { CancelRun, runInBand, runInPool, type FilePool, type InBandRunner, type RunWatcher } from './runLanes';

// The lane runs against a stub pool whose files end when a spec says so: what runs alongside what is proved by
// which files are running at each step, in milliseconds, with no Jest and no clock.

const test_ = (path: string): Test => ({ path, duration: undefined, context: { config: {} } }) as unknown as Test;
const file = (path: string, spec: LaneSpec = { lane: 'parallel' }): LaneFile<Test> => ({ item: test_(path), spec });
const result = (path: string): TestResult => ({ testFilePath: path }) as TestResult;

/** Lets every settled promise's continuations run (the runner awaits event listeners between steps). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

class StubPool implements FilePool {
  readonly running = new Map<string, { resolve: (r: TestResult) => void; reject: (e: unknown) => void }>();
  readonly started: string[] = [];
  /** The most files that ran at once, and which ran beside which. */
  maxAtOnce = 0;
  readonly overlaps = new Set<string>();
  ended = false;

  run(test: Test): Promise<TestResult> {
    return new Promise((resolve, reject) => {
      for (const other of this.running.keys()) this.overlaps.add([other, test.path].sort().join('+'));
      this.running.set(test.path, { resolve, reject });
      this.started.push(test.path);
      this.maxAtOnce = Math.max(this.maxAtOnce, this.running.size);
    });
  }

  async finish(path: string): Promise<void> {
    const file = this.running.get(path);
    if (!file) throw new Error(`${path} is not running (running: ${[...this.running.keys()].join(', ')})`);
    this.running.delete(path);
    file.resolve(result(path));
    await settle();
  }

  async crash(path: string): Promise<void> {
    const file = this.running.get(path)!;
    this.running.delete(path);
    file.reject(Object.assign(new Error('worker crashed'), { type: 'WorkerCrash' }));
    await settle();
  }

  async end(): Promise<void> {
    this.ended = true;
  }
}

class StubWatcher implements RunWatcher {
  private interrupted = false;
  private readonly listeners: Array<(state: { interrupted: boolean }) => void> = [];
  isInterrupted(): boolean {
    return this.interrupted;
  }
  on(_event: 'change', listener: (state: { interrupted: boolean }) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }
  interrupt(): void {
    this.interrupted = true;
    for (const listener of [...this.listeners]) listener({ interrupted: true });
  }
  get listening(): number {
    return this.listeners.length;
  }
}

function start(files: LaneFile<Test>[], maxWorkers: number) {
  const pool = new StubPool();
  const watcher = new StubWatcher();
  const events = new RunnerEvents();
  const log: string[] = [];
  for (const name of ['test-file-start', 'test-file-success', 'test-file-failure'] as const) {
    events.on(name, (data) => void log.push(`${name.slice('test-file-'.length)} ${(data as TestEvents[typeof name])[0].path}`));
  }
  let workers = 0;
  let outcome: 'pending' | 'done' | Error = 'pending';
  const done = runInPool(planLanes(files), {
    pool: (n) => ((workers = n), pool),
    events,
    watcher,
    maxWorkers,
  }).then(
    () => void (outcome = 'done'),
    (error: Error) => void (outcome = error),
  );
  return { pool, watcher, log, done, workers: () => workers, outcome: () => outcome };
}

describe('runInPool', () => {
  test('the pool lane runs at most maxWorkers files at once, a freed slot takes the next file at once', async () => {
    const run = start([file('a'), file('b'), file('c'), file('d')], 2);
    await settle();
    expect(run.workers()).toBe(2);
    expect([...run.pool.running.keys()]).toEqual(['a', 'b']);
    await run.pool.finish('b');
    expect([...run.pool.running.keys()]).toEqual(['a', 'c']);
    await run.pool.finish('a');
    await run.pool.finish('c');
    await run.pool.finish('d');
    await run.done;
    expect(run.outcome()).toBe('done');
    expect(run.pool.maxAtOnce).toBe(2);
    expect(run.log.filter((line) => line.startsWith('success'))).toEqual(['success b', 'success a', 'success c', 'success d']);
    expect(run.pool.ended).toBe(true);
  });

  test('a @serial file starts only after the pool lane drained, and nothing runs beside it', async () => {
    const run = start([file('s1', { lane: 'serial' }), file('a'), file('s2', { lane: 'serial' }), file('b')], 4);
    await settle();
    expect(run.workers()).toBe(2); // the pool lane's two files; the serial lane needs one of them
    expect([...run.pool.running.keys()]).toEqual(['a', 'b']);
    await run.pool.finish('a');
    expect([...run.pool.running.keys()]).toEqual(['b']); // s1 waits for the whole pool lane
    await run.pool.finish('b');
    expect([...run.pool.running.keys()]).toEqual(['s1']);
    await run.pool.finish('s1');
    expect([...run.pool.running.keys()]).toEqual(['s2']);
    await run.pool.finish('s2');
    await run.done;
    expect(run.pool.started).toEqual(['a', 'b', 's1', 's2']);
    expect([...run.pool.overlaps].filter((pair) => pair.includes('s'))).toEqual([]);
  });

  test('files of one resource group never overlap; another group and the parallel lane run beside them', async () => {
    const db = (path: string) => file(path, { lane: 'resources', resources: ['db'] });
    const run = start([db('db1'), db('db2'), file('cache1', { lane: 'resources', resources: ['cache'] }), file('p')], 4);
    await settle();
    expect([...run.pool.running.keys()].sort()).toEqual(['cache1', 'db1', 'p']);
    await run.pool.finish('p');
    await run.pool.finish('cache1');
    expect([...run.pool.running.keys()]).toEqual(['db1']); // db2 waits for db1, with free workers
    await run.pool.finish('db1');
    expect([...run.pool.running.keys()]).toEqual(['db2']);
    await run.pool.finish('db2');
    await run.done;
    expect(run.pool.overlaps.has('db1+db2')).toBe(false);
    expect(run.pool.overlaps.has('cache1+db1')).toBe(true);
  });

  test('a file whose worker crashes is a failed file; the others still run and the run ends', async () => {
    const run = start([file('a'), file('b'), file('s', { lane: 'serial' })], 2);
    await settle();
    await run.pool.crash('a');
    await run.pool.finish('b');
    await run.pool.finish('s');
    await run.done;
    expect(run.outcome()).toBe('done');
    expect(run.log).toEqual(['start a', 'start b', 'failure a', 'success b', 'start s', 'success s']);
  });

  test('an interruption ends the run with CancelRun: no further file starts, the serial lane never, the pool ends', async () => {
    const run = start([file('a'), file('b'), file('c'), file('s', { lane: 'serial' })], 2);
    await settle();
    run.watcher.interrupt();
    await settle();
    await run.done;
    expect(run.outcome()).toBeInstanceOf(CancelRun);
    await run.pool.finish('a'); // a file still running when Jest interrupted ends later: nothing new starts
    expect(run.pool.started).toEqual(['a', 'b']);
    expect(run.pool.ended).toBe(true);
    expect(run.watcher.listening).toBe(0);
  });

  test('one pool-lane file: one worker, however many Jest allows', async () => {
    const run = start([file('only'), file('s', { lane: 'serial' })], 8);
    await settle();
    expect(run.workers()).toBe(1);
    await run.pool.finish('only');
    await run.pool.finish('s');
    await run.done;
    expect(run.outcome()).toBe('done');
  });
});

describe('runInBand', () => {
  test("Jest's own in-band run gets the files in the order given, its events are ours, and each start is heard", async () => {
    const handlers = new Map<string, Array<(data: unknown) => void | Promise<void>>>();
    let ran: string[] = [];
    const stock: InBandRunner = {
      on(name, listener) {
        const list = handlers.get(name) ?? [];
        handlers.set(name, list);
        list.push(listener as (data: unknown) => void);
        return () => list.splice(list.indexOf(listener as (data: unknown) => void), 1);
      },
      async runTests(tests) {
        ran = tests.map((t) => t.path);
        for (const t of tests) {
          for (const listener of handlers.get('test-file-start') ?? []) await listener([t]);
          for (const listener of handlers.get('test-file-success') ?? []) await listener([t, result(t.path)]);
        }
      },
    };
    const events = new RunnerEvents();
    const heard: string[] = [];
    events.on('test-file-success', ([t]) => void heard.push(`success ${t.path}`));
    const started: string[] = [];
    await runInBand([file('b'), file('a')], stock, events, {} as TestWatcher, (t) => void started.push(t.path));
    expect(ran).toEqual(['b', 'a']);
    expect(heard).toEqual(['success b', 'success a']);
    expect(started).toEqual(['b', 'a']);
    expect([...handlers.values()].every((list) => list.length === 0)).toBe(true); // unsubscribed afterwards
  });
});
