// What runs where, when: a lane plan played on a pool of workers (the pool lane at `maxWorkers`, then each `@serial`
// file alone) or in band (Jest's own in-band run, in lane order), stopping when Jest interrupts. How one file runs is
// the pool's business (runner/workerPool); the Jest-facing class (runner/index) only builds these parts.

import type { Test, TestEvents, TestWatcher } from 'jest-runner';
import type { TestResult } from '@jest/test-result';
import { drainQueue, DispatchQueue, type DrainableQueue, type Job } from '../core/scheduler';
import { poolWorkers, type LanePlan, type LaneFile } from '../core/lanes';
import { EVENT_NAMES, type EventName, type RunnerEvents } from './events';

/** Jest's own error for an interrupted run (watch mode): TestScheduler drops the run's results quietly. */
export class CancelRun extends Error {
  constructor() {
    super('The run was interrupted');
    this.name = 'CancelRun';
  }
}

/** A pool that runs one file at a time per worker (runner/workerPool's TestWorkerPool is one). */
export interface FilePool {
  run(test: Test): Promise<TestResult>;
  end(): Promise<void>;
}

/** What the runs need of Jest's TestWatcher: whether the run was interrupted, and word when it is. */
export interface RunWatcher {
  isInterrupted(): boolean;
  on(event: 'change', listener: (state: { interrupted: boolean }) => void): unknown;
}

export interface PoolRun {
  /** Builds the pool with this many workers (the pool lane's width, at least one). */
  pool(workers: number): FilePool;
  events: RunnerEvents;
  watcher: RunWatcher;
  maxWorkers: number;
}

/**
 * The pool lane (parallel files and resource groups) with at most `maxWorkers` files at once, then — unless Jest
 * interrupted the run in between — the `@serial` lane one file at a time with nothing else running. A file whose
 * worker crashes is a failed file; the run goes on.
 */
export async function runInPool(plan: LanePlan<Test>, run: PoolRun): Promise<void> {
  const pool = run.pool(poolWorkers(plan, run.maxWorkers));
  let stopListening: (() => void) | undefined;
  const interrupted = new Promise<never>((_resolve, reject) => {
    const unsubscribe: unknown = run.watcher.on('change', (state) => {
      if (state.interrupted) reject(new CancelRun());
    });
    stopListening = typeof unsubscribe === 'function' ? (unsubscribe as () => void) : undefined;
  });
  interrupted.catch(() => undefined);
  try {
    await Promise.race([drain(new DispatchQueue(plan.pool.map(toJob)), run.maxWorkers, pool, run), interrupted]);
    if (run.watcher.isInterrupted()) throw new CancelRun();
    await Promise.race([drain(new DispatchQueue(plan.exclusive.map(toJob)), 1, pool, run), interrupted]);
  } finally {
    stopListening?.();
    await pool.end();
  }
}

/** Runs the queue with at most `slots` files at once; a freed slot takes the next runnable file at once. */
function drain(queue: DrainableQueue<Test>, slots: number, pool: FilePool, run: PoolRun): Promise<void> {
  return drainQueue(queue, {
    slots,
    run: (job) => runFile(job.item, pool, run.events),
    stopped: () => run.watcher.isInterrupted(),
    stalled: (jobs) =>
      reportStalled(
        jobs.map((job) => job.item),
        run.events,
      ),
  });
}

async function runFile(test: Test, pool: FilePool, events: RunnerEvents): Promise<void> {
  await events.emit('test-file-start', [test]);
  await pool.run(test).then(
    (result) => events.emit('test-file-success', [test, result]),
    (error: unknown) => events.emit('test-file-failure', [test, error as TestEvents['test-file-failure'][1]]),
  );
}

/** Files the scheduler failed to hand out (a bug of ours): each is reported failed, so the run cannot pass. */
async function reportStalled(tests: Test[], events: RunnerEvents): Promise<void> {
  process.stderr.write(`flakeguard: error: the scheduler stalled with ${tests.length} file(s) not run; they are reported failed\n`);
  for (const test of tests) {
    const message = 'flakeguard: the scheduler stalled before this file could run (a jest-flakeguard bug; please report it)';
    await events.emit('test-file-start', [test]);
    await events.emit('test-file-failure', [test, { message, stack: message, type: 'FlakeguardStall' }]);
  }
}

function toJob(file: LaneFile<Test>): Job<Test> {
  return { item: file.item, resources: file.spec.lane === 'resources' ? file.spec.resources : [], duration: file.item.duration };
}

/** What the in-band run needs of Jest's own runner (jest-runner's TestRunner). */
export interface InBandRunner {
  runTests(tests: Test[], watcher: TestWatcher, options: { serial: true }): Promise<void>;
  on<N extends EventName>(name: N, listener: (data: TestEvents[N]) => void | Promise<void>): () => void;
}

/**
 * One process, one file at a time: Jest's own in-band run over `files` as ordered, its events passed on as ours.
 * `started` hears of each file as it starts (the hunt's order record).
 */
export async function runInBand(
  files: readonly LaneFile<Test>[],
  stock: InBandRunner,
  events: RunnerEvents,
  watcher: TestWatcher,
  started?: (test: Test) => void,
): Promise<void> {
  const unsubscribes = EVENT_NAMES.map((name) => stock.on(name, (data) => events.emit(name, data as never)));
  if (started) unsubscribes.push(stock.on('test-file-start', ([test]) => started(test)));
  try {
    await stock.runTests(
      files.map((file) => file.item),
      watcher,
      { serial: true },
    );
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
}
