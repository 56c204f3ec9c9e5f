// Checkpoints of the manifest during a run: an "interrupted" manifest kept up to date on disk, throttled, so a
// Ctrl-C'd run still leaves a manifest a rerun can use.

import { oneLine } from '../core/errors';
import type { Manifest } from '../core/manifest';
import type { ManifestOutput } from './manifestOutput';

export const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * Ctrl-C kills Jest without calling onRunComplete (Jest installs no SIGINT handler, and neither may we: a
 * listener would swallow the signal, and a test stuck in a synchronous loop would never let it run). So the
 * manifest on disk is kept up to date during the run as an "interrupted" checkpoint — every file without a
 * result is notRun, so a rerun covers it — and onRunComplete replaces it with the final one. Throttled: building
 * the manifest walks every result so far, so at most one checkpoint a second (fewer when a checkpoint takes
 * over 50 ms: their cost stays under 5% of the run), the last one deferred by a timer.
 */
export class ManifestCheckpoints {
  private lastCheckpointAt: number | null = null;
  /** Time between checkpoints: a second, or more when one checkpoint costs more than 1/20 of that. */
  private interval = CHECKPOINT_INTERVAL_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** False in watch mode: it survives Ctrl-C of a run (only quitting ends it) and may watch the manifest. */
    private readonly enabled: boolean,
    private readonly output: ManifestOutput,
    /** The manifest of the run so far, as an interrupted run. */
    private readonly manifestSoFar: () => Manifest,
  ) {}

  /** Every run starts with no checkpoint: the first file to start writes one. */
  runStarted(): void {
    this.cancel();
    this.lastCheckpointAt = null;
    this.interval = CHECKPOINT_INTERVAL_MS;
  }

  /** The runner has published its plan by now: the first checkpoint names every planned file as not run. */
  fileStarted(): void {
    if (this.lastCheckpointAt === null) this.write();
  }

  fileFinished(): void {
    if (!this.enabled || this.timer || this.lastCheckpointAt === null) return;
    const wait = this.lastCheckpointAt + this.interval - Date.now();
    if (wait <= 0) {
      this.write();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.write();
    }, wait);
    this.timer.unref();
  }

  /** The run is over: its final manifest replaces the checkpoints, none may follow it. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private write(): void {
    const started = Date.now();
    this.lastCheckpointAt = started;
    if (!this.enabled) return;
    try {
      this.output.write(this.manifestSoFar());
    } catch (error) {
      this.output.warnOnce(`could not record the run so far (${oneLine(error)}); Jest's results are unaffected`);
    }
    this.interval = Math.max(CHECKPOINT_INTERVAL_MS, 20 * (Date.now() - started));
  }
}
