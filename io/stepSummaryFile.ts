// GitHub Actions' step summary file ($GITHUB_STEP_SUMMARY): appended to, never replaced — other steps' and other
// reporters' summaries share it.

import * as fs from 'fs';

/** Appends `markdown` to the summary file; throws on I/O errors. */
export function appendStepSummary(file: string, markdown: string): void {
  fs.appendFileSync(file, markdown);
}
