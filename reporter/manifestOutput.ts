// The manifest file (last-run.json) of this run: its writes, checkpoints and final one alike, and the rule that a
// manifest that cannot be written is warned about once per run.

import { oneLine } from '../core/errors';
import type { Manifest } from '../core/manifest';
import { writeManifest } from '../io/manifestFile';
import { relativeToCwd, warn } from './warnings';

export class ManifestOutput {
  /** Whether this run has warned about its manifest: a checkpoint, the final write and the JUnit report beside it share it. */
  private warnedThisRun = false;

  constructor(readonly path: string) {}

  /** The manifest's path as the user's shell sees it (warnings, the rerun command). */
  get shown(): string {
    return relativeToCwd(this.path);
  }

  get warned(): boolean {
    return this.warnedThisRun;
  }

  /** A new run (watch mode): it may warn again. */
  runStarted(): void {
    this.warnedThisRun = false;
  }

  /** Writes the manifest; a failure is one warning per run, however many checkpoints fail after it. */
  write(manifest: Manifest): boolean {
    try {
      writeManifest(this.path, manifest);
      return true;
    } catch (error) {
      this.warnOnce(`cannot write ${this.shown} (${oneLine(error)}); the run's results and exit code are unaffected`);
      return false;
    }
  }

  /** Warns unless this run already warned about its manifest. */
  warnOnce(message: string): void {
    if (!this.warnedThisRun) warn(message);
    this.warnedThisRun = true;
  }
}
