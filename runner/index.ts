// The `runner` of a Jest config: the parallel lane and resource groups in one worker pool, then the `@serial` lane.

import type { Test, TestEvents, TestRunnerOptions, TestWatcher, UnsubscribeFn } from 'jest-runner';
import { assertSupportedJest, requireFromJest } from '../core/jestHost';
import { DispatchQueue, drainQueue, type Job } from '../core/scheduler';
import { inBandOrder, planLanes, poolWorkers, type LaneFile } from '../core/lanes';
import { publishPlannedTests } from '../core/runPlan';
import { inExactOrder, orderRequestFromEnv, ProcessRecorder, seededShuffle, type OrderRequest } from '../core/runOrder';
import { classifyTests } from './classify';
import { EVENT_NAMES, RunnerEvents } from './events';
import { TestWorkerPool } from './workerPool';

assertSupportedJest();
// The running Jest's own runner: its base class, and its in-band run that we reuse.
const { default: TestRunner, EmittingTestRunner } = requireFromJest<typeof import('jest-runner')>('jest-runner');

class CancelRun extends Error {
  constructor() {
    super('The run was interrupted');
    this.name = 'CancelRun';
  }
}

export default class FlakeguardRunner extends EmittingTestRunner {
  private readonly events = new RunnerEvents();

  async runTests(tests: Test[], watcher: TestWatcher, options: TestRunnerOptions): Promise<void> {
    publishPlannedTests(tests.map((test) => ({ path: test.path, project: displayName(test) })));
    const order = orderRequestFromEnv();
    const files = ordered(classifyTests(tests, this._globalConfig), order);
    const recordDir = order?.recordDir ?? undefined;
    if (options.serial) return this.runInBand(order?.exact ? files : inBandOrder(files), watcher, recordDir);
    return this.runInPool(files, watcher, recordDir);
  }

  on<N extends keyof TestEvents>(name: N, listener: (data: TestEvents[N]) => void | Promise<void>): UnsubscribeFn {
    return this.events.on(name, listener);
  }

  /** One process, one file at a time: Jest's own in-band run, parallel lane first, `@serial` files last. */
  private async runInBand(files: LaneFile<Test>[], watcher: TestWatcher, recordDir?: string): Promise<void> {
    const stock = new TestRunner(this._globalConfig, this._context);
    const unsubscribes = EVENT_NAMES.map((name) => stock.on(name, (data) => this.events.emit(name, data as never)));
    if (recordDir) {
      const recorder = new ProcessRecorder(recordDir);
      unsubscribes.push(stock.on('test-file-start', ([test]) => recorder.started(test.path)));
    }
    try {
      await stock.runTests(files.map((file) => file.item), watcher, { serial: true });
    } finally {
      for (const unsubscribe of unsubscribes) unsubscribe();
    }
  }

  private async runInPool(files: LaneFile<Test>[], watcher: TestWatcher, recordDir?: string): Promise<void> {
    const plan = planLanes(files);
    const workers = poolWorkers(plan, this._globalConfig.maxWorkers);
    const pool = new TestWorkerPool(this._globalConfig, this._context, files.map((file) => file.item), workers, this.events, recordDir);
    let stopListening: (() => void) | undefined;
    const interrupted = new Promise<never>((_resolve, reject) => {
      const unsubscribe = watcher.on('change', (state) => {
        if (state.interrupted) reject(new CancelRun());
      });
      stopListening = typeof unsubscribe === 'function' ? unsubscribe : undefined;
    });
    interrupted.catch(() => undefined);
    try {
      const poolJobs = plan.pool.map((file) => toJob(file));
      await Promise.race([this.drain(new DispatchQueue(poolJobs), this._globalConfig.maxWorkers, pool, watcher), interrupted]);
      if (watcher.isInterrupted()) throw new CancelRun();
      const exclusiveJobs = plan.exclusive.map((file) => toJob(file));
      await Promise.race([this.drain(new DispatchQueue(exclusiveJobs), 1, pool, watcher), interrupted]);
    } finally {
      stopListening?.();
      await pool.end();
    }
  }

  /** Runs the queue with at most `slots` files at once; a freed slot takes the next runnable file at once. */
  private drain(queue: DispatchQueue<Test>, slots: number, pool: TestWorkerPool, watcher: TestWatcher): Promise<void> {
    return drainQueue(queue, {
      slots,
      run: (job) => this.runFile(job.item, pool),
      stopped: () => watcher.isInterrupted(),
      stalled: (jobs) => this.reportStalled(jobs.map((job) => job.item)),
    });
  }

  /** Files the scheduler failed to hand out (a bug of ours): each is reported failed, so the run cannot pass. */
  private async reportStalled(tests: Test[]): Promise<void> {
    process.stderr.write(`flakeguard: error: the scheduler stalled with ${tests.length} file(s) not run; they are reported failed\n`);
    for (const test of tests) {
      const message = 'flakeguard: the scheduler stalled before this file could run (a jest-flakeguard bug; please report it)';
      await this.events.emit('test-file-start', [test]);
      await this.events.emit('test-file-failure', [test, { message, stack: message, type: 'FlakeguardStall' }]);
    }
  }

  private async runFile(test: Test, pool: TestWorkerPool): Promise<void> {
    await this.events.emit('test-file-start', [test]);
    await pool.run(test).then(
      (result) => this.events.emit('test-file-success', [test, result]),
      (error) => this.events.emit('test-file-failure', [test, error]),
    );
  }
}

/**
 * The files in the order `flakeguard hunt` asked for: exactly as listed (replays and bisection probes), or shuffled
 * by a seed (lanes keep their files' relative order, so shuffling the list shuffles each lane); Jest's otherwise.
 */
function ordered(files: LaneFile<Test>[], order: OrderRequest | null): LaneFile<Test>[] {
  if (order?.exact) return inExactOrder(files, order.exact, (file) => file.item.path);
  if (order?.shuffleSeed !== null && order?.shuffleSeed !== undefined) {
    // From a canonical order: Jest's own order moves with its timing cache, and a replay must get the same shuffle.
    const canonical = [...files].sort((a, b) => (a.item.path < b.item.path ? -1 : a.item.path > b.item.path ? 1 : 0));
    return seededShuffle(canonical, order.shuffleSeed);
  }
  return files;
}

function displayName(test: Test): string | null {
  return test.context.config.displayName?.name ?? null;
}

function toJob(file: LaneFile<Test>): Job<Test> {
  return { item: file.item, resources: file.spec.lane === 'resources' ? file.spec.resources : [], duration: file.item.duration };
}

