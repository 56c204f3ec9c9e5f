// The flake history (io/historyFile) of a finished run: one entry per run that ran to its end and whose manifest
// was written.

import { defaultRunId, runOutcomesFromFiles } from '../core/history';
import { filesForHistory, type RunRecord } from '../core/runRecord';
import { recordRun } from '../io/historyFile';
import { attempt } from './warnings';

/**
 * Records `run` in the history under `historyDir`, keeping the last `limit` runs. An interrupted run is no sample
 * of flakiness; and the history lives beside the manifest: where the manifest could not go, its one warning covers
 * both, so nothing is tried. Returns whether the run was recorded.
 */
export function writeHistory(run: RunRecord, manifestWritten: boolean, historyDir: string, limit: number): boolean {
  if (!manifestWritten || run.interrupted) return false;
  return attempt('cannot record the flake history', () =>
    recordRun(historyDir, runOutcomesFromFiles(defaultRunId(run.startedAt), run.startedAt, filesForHistory(run.files)), { limit }),
  );
}
