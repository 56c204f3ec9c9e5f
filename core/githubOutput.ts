// What a run prints for GitHub Actions: `::error` / `::warning` workflow commands (annotations on the diff)
// and the markdown appended to `$GITHUB_STEP_SUMMARY`.

import type { Manifest, ManifestTest } from './manifest';
import { classifyOutcome, firstLine, type FileRecord } from './runRecord';
import { inline, markdownCode, multiline } from './safeText';

/**
 * Workflow command data: `%`, CR and LF escaped (GitHub's toCommandValue), after core/safeText removed ANSI escapes
 * and escaped the other control characters. The message keeps its line breaks, as `%0A`.
 */
function escapeData(text: string): string {
  return multiline(text).replace(/%/g, '%25').replace(/\n/g, '%0A');
}

/** Workflow command properties (title, file) are one line, and additionally escape `:` and `,`. */
function escapeProperty(text: string): string {
  return inline(text).replace(/%/g, '%25').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(kind: 'error' | 'warning', properties: Record<string, string | number | null>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== null)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${kind} ${props}::${escapeData(message)}`;
}

/** The failure text to show in an annotation: the message up to the stack trace, at most 20 lines. */
function annotationText(message: string): string {
  const lines = multiline(message).split('\n');
  const stack = lines.findIndex((line) => /^\s+at /.test(line));
  return (stack === -1 ? lines : lines.slice(0, stack)).slice(0, 20).join('\n').trim();
}

export interface AnnotationOptions {
  /** Maps a rootDir-relative file to the path GitHub expects (relative to the workspace). */
  filePath?: (file: string) => string;
}

/** One `::error` per failed test and file error, one `::warning` per flaky test. */
export function githubAnnotations(files: readonly FileRecord[], options: AnnotationOptions = {}): string[] {
  const filePath = options.filePath ?? ((file: string) => file);
  const lines: string[] = [];
  for (const file of files) {
    const where = filePath(file.file);
    if (file.error !== null) lines.push(command('error', { file: where, title: `${file.file} failed to run` }, annotationText(file.error)));
    for (const test of file.tests) {
      const outcome = classifyOutcome(test);
      const name = test.titles.join(' › ');
      const position = { file: where, line: test.line, col: test.column };
      if (outcome === 'failed') {
        const attempts = test.attempts > 1 ? ` (failed all ${test.attempts} attempts)` : '';
        lines.push(command('error', { ...position, title: `${name}${attempts}` }, annotationText(test.failures.join('\n\n') || 'failed')));
      } else if (outcome === 'flaky') {
        const first = test.earlierFailures[0];
        const text = `passed on attempt ${test.attempts} after ${test.attempts - 1} failed${first ? `; first failure: ${firstLine(first)}` : ''}`;
        lines.push(command('warning', { ...position, title: `flaky: ${name}` }, text));
      }
    }
  }
  return lines;
}

/**
 * Every value in the step summary is a code span (core/safeText): nothing in a title or message renders as a link,
 * an image or HTML, and no line break (a lone CR included) or `|` can split a table row.
 */
const cell = markdownCode;

function testRows(tests: readonly ManifestTest[], limit: number): string[] {
  const rows = tests.slice(0, limit).map((t) => `| ${cell(t.file)} | ${cell(t.titles.join(' › '))} | ${t.attempts} | ${cell(t.message)} |`);
  if (tests.length > limit) rows.push(`| … | ${tests.length - limit} more in the manifest | | |`);
  return rows;
}

/** The step summary: counts, the failed and flaky tests, and the rerun command. */
export function githubStepSummary(manifest: Manifest, rerunCommand: string, limit = 50): string {
  const c = manifest.counts;
  const icon = manifest.status === 'passed' ? (c.flaky > 0 ? '🟡' : '✅') : '❌';
  const out = [
    `### ${icon} jest-flakeguard${manifest.shard ? ` (shard ${/^\d+\/\d+$/.test(manifest.shard) ? manifest.shard : cell(manifest.shard)})` : ''}: ${manifest.status}`,
    '',
    '| passed | failed | flaky | skipped | todo | file errors | not run |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${c.passed} | ${c.failed} | ${c.flaky} | ${c.skipped} | ${c.todo} | ${c.fileErrors} | ${c.notRun} |`,
    '',
  ];
  const header = ['| file | test | attempts | message |', '| --- | --- | ---: | --- |'];
  if (manifest.failed.length > 0) out.push('**Failed**', '', ...header, ...testRows(manifest.failed, limit), '');
  if (manifest.flaky.length > 0) out.push('**Flaky** (passed on retry)', '', ...header, ...testRows(manifest.flaky, limit), '');
  if (manifest.fileErrors.length > 0) {
    out.push('**Files that failed to run**', '', ...manifest.fileErrors.slice(0, limit).map((e) => `- ${cell(e.file)}: ${cell(e.message)}`), '');
  }
  if (manifest.notRun.length > 0) out.push(`**Not run**: ${manifest.notRun.length} file(s)`, '');
  if (c.failed + c.fileErrors + c.notRun > 0) out.push(`Rerun exactly these: ${cell(rerunCommand)}`, '');
  return `${out.join('\n')}\n`;
}
