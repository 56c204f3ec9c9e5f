// A pool of Jest test workers (jest-runner's own worker module) to which we hand files one at a time.

import * as path from 'path';
import type { Worker as JestWorker } from 'jest-worker';
import type { Config, Test, TestRunnerContext } from 'jest-runner';
import type { TestResult } from '@jest/test-result';
import type { RunnerEvents, EventName } from './events';
import type { RecordingSetup } from './recordingWorker';

interface WorkerModule {
  worker(request: {
    config: Config.ProjectConfig;
    globalConfig: Config.GlobalConfig;
    path: string;
    context: Record<string, unknown>;
  }): Promise<TestResult> & { UNSTABLE_onCustomMessage?: (listener: (message: [EventName, never]) => void) => void };
}

import { requireFromJest, resolveFromJest } from '../io/jestHost';

// jest-runner's worker entry is not in its `exports` map, so it is reached by path from the package; the
// pool is the jest-worker that jest-runner itself uses, so parent and child speak the same protocol.
const JEST_RUNNER = resolveFromJest('jest-runner');
const TEST_WORKER = path.join(path.dirname(JEST_RUNNER), 'testWorker.js');
/** Our wrapper of that module, which records the order each worker runs its files in. */
const RECORDING_WORKER = require.resolve('./recordingWorker');
const { Worker } = requireFromJest<typeof import('jest-worker')>('jest-worker', JEST_RUNNER);

export class TestWorkerPool {
  private readonly worker: JestWorker & WorkerModule;

  constructor(
    private readonly globalConfig: Config.GlobalConfig,
    private readonly context: TestRunnerContext,
    tests: readonly Test[],
    workers: number,
    private readonly events: RunnerEvents,
    /** Where each worker records the order it runs its files in (`flakeguard hunt`); undefined: stock worker. */
    recordDir?: string,
  ) {
    const resolvers = new Map<string, { config: Config.ProjectConfig; serializableModuleMap: unknown }>();
    for (const test of tests) {
      if (!resolvers.has(test.context.config.id)) {
        resolvers.set(test.context.config.id, { config: test.context.config, serializableModuleMap: test.context.moduleMap.toJSON() });
      }
    }
    const memoryLimit = globalConfig.workerIdleMemoryLimit;
    const recording: RecordingSetup | undefined = recordDir ? { testWorker: TEST_WORKER, recordDir } : undefined;
    this.worker = new Worker(recording ? RECORDING_WORKER : TEST_WORKER, {
      enableWorkerThreads: globalConfig.workerThreads,
      exposedMethods: ['worker'],
      forkOptions: { serialization: 'json', stdio: 'pipe' },
      idleMemoryLimit: typeof memoryLimit === 'number' ? memoryLimit : undefined,
      maxRetries: 3,
      numWorkers: workers,
      setupArgs: recording ? [{ serializableResolvers: [...resolvers.values()] }, recording] : [{ serializableResolvers: [...resolvers.values()] }],
      workerGracefulExitTimeout: globalConfig.workerGracefulExitTimeout,
    }) as JestWorker & WorkerModule;
    this.worker.getStdout()?.pipe(process.stdout);
    this.worker.getStderr()?.pipe(process.stderr);
  }

  run(test: Test): Promise<TestResult> {
    const { changedFiles, sourcesRelatedToTestsInChangedFiles } = this.context;
    const promise = this.worker.worker({
      config: test.context.config,
      globalConfig: this.globalConfig,
      path: test.path,
      context: {
        ...this.context,
        changedFiles: changedFiles && [...changedFiles],
        sourcesRelatedToTestsInChangedFiles: sourcesRelatedToTestsInChangedFiles && [...sourcesRelatedToTestsInChangedFiles],
      },
    });
    promise.UNSTABLE_onCustomMessage?.(([event, payload]) => void this.events.emit(event, payload));
    return promise;
  }

  async end(): Promise<void> {
    const { forceExited } = await this.worker.end();
    if (forceExited) {
      console.error(
        'A worker process has failed to exit gracefully and has been force exited. This is likely caused by tests ' +
          'leaking due to improper teardown. Try running with --detectOpenHandles to find leaks. Active timers can ' +
          'also cause this, ensure that .unref() was called on them.',
      );
    }
  }
}
