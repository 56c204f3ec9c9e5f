// The two short blocks the reporter prints after Jest's summary: the run's flakiness, and the hygiene findings.

import type { Manifest, ManifestFinding } from '../core/manifest';
import { inline } from '../core/safeText';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The rerun command for a manifest at `manifestPath` (relative to the cwd); `command`: how flakeguard runs here. */
export function rerunCommand(manifestPath: string, flaky = false, command = 'npx flakeguard'): string {
  const manifest = manifestPath === '.flakeguard/last-run.json' ? '' : ` --manifest ${/\s/.test(manifestPath) ? JSON.stringify(manifestPath) : manifestPath}`;
  return `${command} rerun${manifest}${flaky ? ' --flaky' : ''}`;
}

/** Failed and flaky counts, the flaky tests by name, the rerun command; '' when everything passed first try. */
export function summaryBlock(manifest: Manifest, manifestPath: string, limit = 20, command?: string): string {
  const c = manifest.counts;
  if (c.failed + c.flaky + c.fileErrors + c.notRun === 0) return '';
  const parts = [plural(c.failed, 'failed', 'failed'), plural(c.flaky, 'flaky', 'flaky')];
  if (c.fileErrors) parts.push(plural(c.fileErrors, 'file error'));
  if (c.notRun) parts.push(plural(c.notRun, 'file', 'files') + ' not run');
  const lines = [`flakeguard: ${parts.join(' · ')}`];
  for (const test of manifest.flaky.slice(0, limit)) {
    lines.push(`  flaky  ${inline(test.file)} › ${inline(test.titles.join(' › '))}  (passed on attempt ${test.attempts})`);
  }
  if (manifest.flaky.length > limit) lines.push(`  … ${manifest.flaky.length - limit} more flaky in ${manifestPath}`);
  const toRerun = c.failed + c.fileErrors + c.notRun > 0;
  lines.push(`  rerun: ${rerunCommand(manifestPath, !toRerun, command)}${toRerun ? '' : '   (flaky tests only)'}   manifest: ${manifestPath}`);
  return `${lines.join('\n')}\n`;
}

/** A check name is ours (core/findings); anything else a findings file says is shown as data, after our word. */
const checkLabel = (check: string): string => (/^[a-z][a-z0-9-]*$/.test(check) ? check : `check ${inline(check)}`);

/**
 * One block for the whole run, grouped by file, then test: check, what leaked, where it was created. Every line
 * starts with our own words (`file`, `test`, the check's name): data never starts a line (core/safeText).
 */
export function findingsBlock(findings: readonly ManifestFinding[], manifestPath = '.flakeguard/last-run.json', limit = 20): string {
  if (findings.length === 0) return '';
  const byFile = new Map<string, Map<string, ManifestFinding[]>>();
  for (const finding of findings) {
    const fileKey = inline(finding.project ? `${finding.file} [${finding.project}]` : finding.file);
    const tests = byFile.get(fileKey) ?? new Map<string, ManifestFinding[]>();
    const testKey = inline(finding.titles.join(' › ')) || '(outside any test)';
    tests.set(testKey, [...(tests.get(testKey) ?? []), finding]);
    byFile.set(fileKey, tests);
  }
  const lines = [`flakeguard findings: ${plural(findings.length, 'finding')} in ${plural(byFile.size, 'file')}`];
  // About `limit` lines: a suite with hundreds of findings gets the first ones and a pointer to the manifest, which keeps all.
  let shown = 0;
  outer: for (const [file, tests] of byFile) {
    if (lines.length + 3 > limit) break;
    lines.push(`  file ${file}`);
    for (const [test, entries] of tests) {
      if (lines.length + 2 > limit) break outer;
      lines.push(`    test ${test}`);
      for (const entry of entries) {
        if (lines.length + 1 > limit) break outer;
        const tests = entry.tests && entry.tests > 1 ? `  [${entry.tests} tests]` : '';
        lines.push(`      ${checkLabel(entry.check)}  ${inline(entry.message)}${entry.at ? `  (${inline(entry.at)})` : ''}${tests}`);
        shown++;
      }
    }
  }
  if (shown < findings.length) lines.push(`  … ${findings.length - shown} more in ${inline(manifestPath)}`);
  return `${lines.join('\n')}\n`;
}
