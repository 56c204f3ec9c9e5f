// GitHub Actions output of a finished run (core/githubOutput): workflow-command annotations on a stream, and the
// step summary appended to $GITHUB_STEP_SUMMARY.

import * as path from 'path';
import type { Config } from '@jest/types';
import { githubAnnotations, githubStepSummary } from '../core/githubOutput';
import type { Manifest } from '../core/manifest';
import type { RunRecord } from '../core/runRecord';
import { appendStepSummary } from '../io/stepSummaryFile';
import { rerunCommand } from './terminal';
import { attempt } from './warnings';

export interface GithubContext {
  globalConfig: Config.GlobalConfig;
  /** GITHUB_WORKSPACE and GITHUB_STEP_SUMMARY are read from it. */
  env: NodeJS.ProcessEnv;
  /** The manifest's path as the user's shell sees it, for the rerun command in the summary. */
  manifestShown: string;
  /** How flakeguard runs under this project's package manager. */
  command: string;
}

/** Workflow commands belong on stdout, unless `jest --json` prints its report there: never corrupt it. */
export const annotationStream = (globalConfig: Config.GlobalConfig): NodeJS.WriteStream => (globalConfig.json && !globalConfig.outputFile ? process.stderr : process.stdout);

export function writeGithubOutput(run: RunRecord, manifest: Manifest, { globalConfig, env, manifestShown, command }: GithubContext): void {
  const workspace = env.GITHUB_WORKSPACE;
  const rootDir = globalConfig.rootDir;
  // Annotations name files relative to the checkout, which is what GitHub links to.
  const filePath = (file: string) => (workspace ? path.relative(workspace, path.resolve(rootDir, file)).split(path.sep).join('/') : file);
  const annotations = githubAnnotations(run.files, { filePath });
  if (annotations.length > 0) annotationStream(globalConfig).write(`${annotations.join('\n')}\n`);
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    attempt('cannot append to $GITHUB_STEP_SUMMARY', () => appendStepSummary(summaryFile, githubStepSummary(manifest, rerunCommand(manifestShown, false, command))));
  }
}
