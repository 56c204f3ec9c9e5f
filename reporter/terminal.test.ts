import { emptyCounts, type Manifest } from '../core/manifest';
import { findingsBlock, rerunCommand, summaryBlock } from './terminal';

const base: Manifest = {
  schemaVersion: 1,
  tool: 'jest-flakeguard',
  status: 'passed',
  startedAt: 'a',
  finishedAt: 'b',
  jestVersion: '30.5.2',
  shard: null,
  seed: 1,
  counts: emptyCounts(),
  failed: [],
  flaky: [],
  fileErrors: [],
  notRun: [],
  findings: [],
};

describe('summaryBlock', () => {
  test('nothing when everything passed first try', () => {
    expect(summaryBlock({ ...base, counts: { ...emptyCounts(), passed: 10, skipped: 2 } }, '.flakeguard/last-run.json')).toBe('');
  });

  test('counts, flaky tests by name and the rerun command', () => {
    const manifest: Manifest = {
      ...base,
      status: 'failed',
      counts: { ...emptyCounts(), failed: 1, flaky: 1, notRun: 2 },
      flaky: [{ project: null, file: 'a.test.ts', titles: ['s', 't'], attempts: 3, message: '' }],
    };
    expect(summaryBlock(manifest, '.flakeguard/last-run.json')).toBe(
      'flakeguard: 1 failed · 1 flaky · 2 files not run\n' +
        '  flaky  a.test.ts › s › t  (passed on attempt 3)\n' +
        '  rerun: npx flakeguard rerun   manifest: .flakeguard/last-run.json\n',
    );
  });

  test('only flaky tests: the command reruns them; another outputDir is named', () => {
    const manifest: Manifest = { ...base, counts: { ...emptyCounts(), flaky: 1 }, flaky: [{ project: null, file: 'a.test.ts', titles: ['t'], attempts: 2, message: '' }] };
    expect(summaryBlock(manifest, 'out/last-run.json')).toContain('  rerun: npx flakeguard rerun --manifest out/last-run.json --flaky   (flaky tests only)');
  });

  test('rerunCommand quotes a path with spaces', () => {
    expect(rerunCommand('my dir/last-run.json')).toBe('npx flakeguard rerun --manifest "my dir/last-run.json"');
  });
});

describe('findingsBlock', () => {
  test('one block grouped by file, then test', () => {
    const finding = (file: string, titles: string[], check: string, message: string, at: string | null) => ({ check, project: null, file, titles, message, at });
    expect(
      findingsBlock([
        finding('a.test.ts', ['s', 't'], 'unrestored-spy', 'spy on api.get was not restored', 'a.test.ts:3:5'),
        finding('b.test.ts', ['u'], 'leaked-env', 'process.env.TOKEN was left set', null),
        finding('a.test.ts', ['s', 't'], 'pending-timer', 'setTimeout(…, 500) still pending', 'a.test.ts:9:1'),
      ]),
    ).toBe(
      [
        'flakeguard findings: 3 findings in 2 files',
        '  file a.test.ts',
        '    test s › t',
        '      unrestored-spy  spy on api.get was not restored  (a.test.ts:3:5)',
        '      pending-timer  setTimeout(…, 500) still pending  (a.test.ts:9:1)',
        '  file b.test.ts',
        '    test u',
        '      leaked-env  process.env.TOKEN was left set',
        '',
      ].join('\n'),
    );
    expect(findingsBlock([])).toBe('');
  });

  test('capped at about 20 lines, the rest counted and pointed at the manifest; a finding left by several tests says how many', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      check: 'leaked-env',
      project: null,
      file: `f${i % 5}.test.ts`,
      titles: [`t${i}`],
      message: `process.env.K${i} set and not restored`,
      at: `f${i % 5}.test.ts:${i + 1}:1`,
      tests: i === 0 ? 4 : undefined,
    }));
    const block = findingsBlock(many, '.flakeguard/last-run.json').trimEnd().split('\n');
    expect(block.length).toBeLessThanOrEqual(21);
    const shown = block.filter((line) => line.startsWith('      leaked-env')).length;
    expect(block[block.length - 1]).toBe(`  … ${50 - shown} more in .flakeguard/last-run.json`);
    expect(block[3]).toContain('[4 tests]');
  });

  test('data never starts a line: newlines, ANSI and a check name that is not ours are escaped', () => {
    const block = findingsBlock([
      { check: '::error::x', project: 'p\n::warning::y', file: 'a.test.ts\n::add-mask::z', titles: ['t\r::error::w'], message: 'm\n::error::v \u001b[31mred', at: null },
    ]);
    expect(block.split('\n').filter((line) => /^\s*::/.test(line))).toEqual([]);
    expect(block).toContain('  file a.test.ts\\n::add-mask::z [p\\n::warning::y]');
    expect(block).toContain('      check ::error::x  m\\n::error::v red');
  });
});
