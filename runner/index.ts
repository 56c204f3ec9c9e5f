// The `runner` of a Jest config: Jest's two methods (`runTests`, `on`) over flakeguard's lane runs. It classifies the
// files (runner/classify), orders them as `flakeguard hunt` asks, and hands them to runner/runLanes with the parts
// of the running Jest they need; how a lane runs is there, how one file runs is in runner/workerPool.

import type { Test, TestEvents, TestRunnerOptions, TestWatcher, UnsubscribeFn } from 'jest-runner';
import { assertSupportedJest, requireFromJest } from '../io/jestHost';
import { inBandOrder, planLanes, type LaneFile } from '../core/lanes';
import { publishPlannedTests } from '../io/plannedTests';
import { oneLine } from '../core/errors';
import { inExactOrder, seededShuffle, type OrderRequest } from '../core/runOrder';
import { orderRequestFromEnv, ProcessRecorder } from '../io/runOrderFiles';
import { classifyTests } from './classify';
import { RunnerEvents } from './events';
import { runInBand, runInPool } from './runLanes';
import { TestWorkerPool } from './workerPool';

assertSupportedJest();
// The running Jest's own runner: its base class, and its in-band run that we reuse.
const { default: TestRunner, EmittingTestRunner } = requireFromJest<typeof import('jest-runner')>('jest-runner');

export default class FlakeguardRunner extends EmittingTestRunner {
  private readonly events = new RunnerEvents();

  async runTests(tests: Test[], watcher: TestWatcher, options: TestRunnerOptions): Promise<void> {
    try {
      publishPlannedTests(tests.map((test) => ({ path: test.path, project: displayName(test) })));
    } catch (error) {
      // Another jest-flakeguard's registry: the reporter cannot name files that never ran, the run itself is unaffected.
      process.stderr.write(`flakeguard: warning: ${oneLine(error)}\n`);
    }
    const order = orderRequestFromEnv();
    const files = ordered(classifyTests(tests, this._globalConfig), order);
    const recordDir = order?.recordDir ?? undefined;
    if (options.serial) {
      const recorder = recordDir ? new ProcessRecorder(recordDir) : undefined;
      const stock = new TestRunner(this._globalConfig, this._context);
      return runInBand(order?.exact ? files : inBandOrder(files), stock, this.events, watcher, recorder && ((test) => recorder.started(test.path)));
    }
    return runInPool(planLanes(files), {
      pool: (workers) => new TestWorkerPool(this._globalConfig, this._context, tests, workers, this.events, recordDir),
      events: this.events,
      watcher,
      maxWorkers: this._globalConfig.maxWorkers,
    });
  }

  on<N extends keyof TestEvents>(name: N, listener: (data: TestEvents[N]) => void | Promise<void>): UnsubscribeFn {
    return this.events.on(name, listener);
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
