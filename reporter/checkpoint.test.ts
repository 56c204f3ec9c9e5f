import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildManifest, type RunRecord } from '../core/runRecord';
import type { Manifest } from '../core/manifest';
import { CHECKPOINT_INTERVAL_MS, ManifestCheckpoints } from './checkpoint';
import { ManifestOutput } from './manifestOutput';

const record = (files: number): RunRecord => ({
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  jestVersion: '30.0.0',
  shard: null,
  seed: null,
  interrupted: true,
  otherFailure: false,
  files: [],
  notRun: Array.from({ length: files }, (_, i) => ({ project: null, file: `f${i}.test.ts` })),
  findings: [],
});

describe('ManifestCheckpoints', () => {
  let dir: string;
  let file: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-checkpoint-'));
    file = path.join(dir, 'out', 'last-run.json');
    jest.useFakeTimers({ now: 1_000_000 });
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.useRealTimers();
    stderr.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const read = (): Manifest => JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;

  test('the first file to start writes an interrupted manifest; later starts do not', () => {
    let files = 1;
    const built = jest.fn(() => buildManifest(record(files)));
    const checkpoints = new ManifestCheckpoints(true, new ManifestOutput(file), built);
    checkpoints.runStarted();
    checkpoints.fileStarted();
    expect(read()).toMatchObject({ status: 'interrupted', counts: { notRun: 1 } });
    files = 2;
    checkpoints.fileStarted();
    expect(built).toHaveBeenCalledTimes(1);
    expect(read().counts.notRun).toBe(1);
  });

  test('a file finishing within the interval defers one checkpoint to the end of the interval', () => {
    let files = 1;
    const checkpoints = new ManifestCheckpoints(true, new ManifestOutput(file), () => buildManifest(record(files)));
    checkpoints.runStarted();
    checkpoints.fileStarted();
    files = 3;
    checkpoints.fileFinished();
    checkpoints.fileFinished(); // one timer, not two
    expect(jest.getTimerCount()).toBe(1);
    expect(read().counts.notRun).toBe(1);
    jest.advanceTimersByTime(CHECKPOINT_INTERVAL_MS - 1);
    expect(read().counts.notRun).toBe(1);
    jest.advanceTimersByTime(1);
    expect(read().counts.notRun).toBe(3);
  });

  test('past the interval a finished file writes at once; cancel drops a deferred checkpoint', () => {
    let files = 1;
    const checkpoints = new ManifestCheckpoints(true, new ManifestOutput(file), () => buildManifest(record(files)));
    checkpoints.runStarted();
    checkpoints.fileStarted();
    jest.setSystemTime(1_000_000 + CHECKPOINT_INTERVAL_MS);
    files = 2;
    checkpoints.fileFinished();
    expect(read().counts.notRun).toBe(2);
    files = 5;
    checkpoints.fileFinished();
    checkpoints.cancel();
    jest.runAllTimers();
    expect(read().counts.notRun).toBe(2);
  });

  test('a checkpoint that costs over 1/20 of the interval stretches it to 20 times its cost', () => {
    let files = 1;
    const checkpoints = new ManifestCheckpoints(true, new ManifestOutput(file), () => {
      jest.setSystemTime(Date.now() + 100); // this checkpoint takes 100 ms
      return buildManifest(record(files));
    });
    checkpoints.runStarted();
    checkpoints.fileStarted(); // at 1_000_000, done at 1_000_100
    files = 2;
    jest.setSystemTime(1_000_000 + CHECKPOINT_INTERVAL_MS);
    checkpoints.fileFinished(); // the interval is now 2000 ms from the checkpoint's start
    expect(read().counts.notRun).toBe(1);
    jest.advanceTimersByTime(999);
    expect(read().counts.notRun).toBe(1);
    jest.advanceTimersByTime(1);
    expect(read().counts.notRun).toBe(2);
  });

  test('no checkpoint before a file started, none when disabled (watch mode)', () => {
    const checkpoints = new ManifestCheckpoints(true, new ManifestOutput(file), () => buildManifest(record(1)));
    checkpoints.runStarted();
    checkpoints.fileFinished();
    jest.runAllTimers();
    expect(fs.existsSync(file)).toBe(false);
    const watching = new ManifestCheckpoints(false, new ManifestOutput(file), () => buildManifest(record(1)));
    watching.runStarted();
    watching.fileStarted();
    watching.fileFinished();
    jest.runAllTimers();
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a manifest that cannot be built is one warning per run, and the run goes on', () => {
    const output = new ManifestOutput(file);
    const checkpoints = new ManifestCheckpoints(true, output, () => {
      throw new Error('boom');
    });
    checkpoints.runStarted();
    checkpoints.fileStarted();
    jest.setSystemTime(1_000_000 + CHECKPOINT_INTERVAL_MS);
    checkpoints.fileFinished();
    const warnings = stderr.mock.calls.map(([text]) => String(text));
    expect(warnings).toEqual([expect.stringMatching(/^flakeguard: could not record the run so far \(boom\)/)]);
    expect(output.warned).toBe(true);
  });

  test('runStarted forgets the last checkpoint: the next run writes at its first file again', () => {
    let files = 1;
    const checkpoints = new ManifestCheckpoints(true, new ManifestOutput(file), () => buildManifest(record(files)));
    checkpoints.runStarted();
    checkpoints.fileStarted();
    files = 4;
    checkpoints.fileFinished();
    checkpoints.runStarted();
    expect(jest.getTimerCount()).toBe(0);
    checkpoints.fileStarted();
    expect(read().counts.notRun).toBe(4);
  });
});
