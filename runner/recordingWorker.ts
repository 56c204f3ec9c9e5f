// A jest-runner test worker that first notes, per process, which file it starts (for `flakeguard hunt`), then runs
// the file exactly as jest-runner's own worker does. Used only when the hunt asks for a record.

import { ProcessRecorder } from '../io/runOrderFiles';

interface TestWorkerModule {
  setup(setupData: unknown): unknown;
  worker(request: { path: string }): Promise<unknown>;
}

export interface RecordingSetup {
  /** jest-runner's own worker module, resolved by the parent from the running Jest. */
  testWorker: string;
  recordDir: string;
}

let inner: TestWorkerModule | undefined;
let recorder: ProcessRecorder | undefined;

export function setup(setupData: unknown, recording: RecordingSetup): unknown {
  inner = require(recording.testWorker) as TestWorkerModule;
  recorder = new ProcessRecorder(recording.recordDir);
  return inner.setup(setupData);
}

export function worker(request: { path: string }): Promise<unknown> {
  recorder!.started(request.path);
  return inner!.worker(request);
}
