// Hands one test file's findings over at teardown: to the findings channel's directory, else a line each on stderr.

import * as path from 'path';
import type { Finding } from '../core/findings';
import { oneLine } from '../core/errors';
import { inline } from '../core/safeText';
import { findingsDir, writeFindings } from '../io/findingsChannel';

/** Nothing at all for a clean file. Never throws for an unwritable directory: the tests ran and were judged. */
export function handOverFindings(findings: Finding[], testPath: string, rootDir: string): void {
  if (findings.length === 0) return;
  const dir = findingsDir();
  if (!dir) {
    const file = path.relative(rootDir, testPath).split(path.sep).join('/');
    for (const finding of findings) {
      const test = finding.titles.length > 0 ? ` › ${finding.titles.join(' › ')}` : '';
      process.stderr.write(`flakeguard: ${inline(`${file}${test}: ${finding.check} ${finding.message}${finding.at ? ` (${finding.at})` : ''}`)}\n`);
    }
    return;
  }
  try {
    writeFindings(dir, testPath, findings);
  } catch (error) {
    // Losing the report of the leaks must not fail the file.
    process.stderr.write(`jest-flakeguard: cannot write findings to ${dir} (${oneLine(error)}); check the directory is writable\n`);
  }
}
