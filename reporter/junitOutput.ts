// The JUnit report (core/junit) of a finished run, written atomically where the `junit` option says.

import * as path from 'path';
import { junitXml } from '../core/junit';
import type { RunRecord } from '../core/runRecord';
import { writeFileAtomic } from '../io/atomicWrite';
import { attempt, relativeToCwd } from './warnings';

/**
 * Writes the report to `junitPath`. Beside a manifest that could not be written (under `outputDir`, after the
 * manifest warned) it fails the same way: that warning already said so, and this one stays silent.
 */
export function writeJunit(run: RunRecord, junitPath: string, outputDir: string, manifestWarned: boolean): boolean {
  const write = () => writeFileAtomic(junitPath, junitXml(run.files, { name: 'jest', timestamp: run.startedAt }));
  const alreadyWarned = manifestWarned && !path.relative(outputDir, junitPath).startsWith('..');
  return attempt(alreadyWarned ? null : `cannot write the JUnit report ${relativeToCwd(junitPath)}`, write);
}
