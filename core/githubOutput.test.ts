import { githubAnnotations, githubStepSummary } from './githubOutput';
import { buildManifest, type FileRecord, type TestRecord } from './runRecord';

const record = (titles: string[], overrides: Partial<TestRecord> = {}): TestRecord => ({
  titles,
  status: 'passed',
  attempts: 1,
  durationMs: 1,
  failures: [],
  earlierFailures: [],
  line: null,
  column: null,
  ...overrides,
});

const files: FileRecord[] = [
  {
    project: null,
    file: 'src/a.test.ts',
    durationMs: 5,
    error: null,
    tests: [
      record(['ok']),
      record(['s, t', 'fails: 100%'], {
        status: 'failed',
        attempts: 2,
        failures: ['Error: expected 1\n\nReceived: 2\n    at Object.<anonymous> (src/a.test.ts:7:9)'],
        line: 7,
        column: 9,
      }),
      record(['flaky | pipe'], { attempts: 2, earlierFailures: ['Error: timeout'], line: 12, column: 3 }),
    ],
  },
  { project: null, file: 'src/b.test.ts', durationMs: null, error: 'Cannot find module x', tests: [] },
];

describe('githubAnnotations', () => {
  const lines = githubAnnotations(files, { filePath: (file) => `pkg/${file}` });

  test('::error with file, line and column for a failure; properties and data escaped', () => {
    expect(lines[0]).toBe('::error file=pkg/src/a.test.ts,line=7,col=9,title=s%2C t › fails%3A 100%25 (failed all 2 attempts)::Error: expected 1%0A%0AReceived: 2');
  });

  test('::warning for a flaky test, with its first failure', () => {
    expect(lines[1]).toBe('::warning file=pkg/src/a.test.ts,line=12,col=3,title=flaky%3A flaky | pipe::passed on attempt 2 after 1 failed; first failure: Error: timeout');
  });

  test('::error for a file that failed to run, without a line', () => {
    expect(lines[2]).toBe('::error file=pkg/src/b.test.ts,title=src/b.test.ts failed to run::Cannot find module x');
    expect(lines).toHaveLength(3);
  });
});

describe('githubStepSummary', () => {
  const manifest = buildManifest({
    startedAt: 'a',
    finishedAt: 'b',
    jestVersion: '30.5.2',
    shard: '2/3',
    seed: 1,
    interrupted: false,
    otherFailure: false,
    files,
    notRun: [{ project: null, file: 'src/c.test.ts' }],
    findings: [],
  });

  test('counts table, failed and flaky tables with escaped cells, and the rerun command', () => {
    const markdown = githubStepSummary(manifest, 'npx flakeguard rerun');
    expect(markdown).toContain('### ❌ jest-flakeguard (shard 2/3): failed');
    expect(markdown).toContain('| 1 | 1 | 1 | 0 | 0 | 1 | 1 |');
    expect(markdown).toContain('| `src/a.test.ts` | `s, t › fails: 100%` | 2 | `Error: expected 1` |');
    expect(markdown).toContain('| `src/a.test.ts` | `flaky \\| pipe` | 2 | `Error: timeout` |');
    expect(markdown).toContain('- `src/b.test.ts`: `Cannot find module x`');
    expect(markdown).toContain('**Not run**: 1 file(s)');
    expect(markdown).toContain('Rerun exactly these: `npx flakeguard rerun`');
  });

  test('long lists are cut with a pointer to the manifest', () => {
    const many = { ...manifest, failed: Array.from({ length: 60 }, (_, i) => ({ ...manifest.failed[0]!, titles: [`t${i}`] })) };
    const markdown = githubStepSummary(many, 'npx flakeguard rerun', 50);
    expect(markdown).toContain('| … | 10 more in the manifest | | |');
    expect(markdown.match(/\| `src\/a\.test\.ts` \| `t\d+` \|/g)).toHaveLength(50);
  });

  test('titles and messages are code, never markup; a lone CR or a newline cannot split a row; ANSI is removed', () => {
    const hostile = {
      ...manifest,
      failed: [{ ...manifest.failed[0]!, titles: ['[click](https://evil) <img src=x onerror=alert(1)>', 'a\rb'], message: '\u001b[31m![i](https://evil/i.png)\n| x |' }],
    };
    const rows = githubStepSummary(hostile, 'npx flakeguard rerun')
      .split('\n')
      .filter((line) => line.includes('evil'));
    expect(rows).toEqual(['| `src/a.test.ts` | `[click](https://evil) <img src=x onerror=alert(1)> › a\\rb` | 2 | `![i](https://evil/i.png)\\n\\| x \\|` |']);
    expect(githubStepSummary(hostile, 'x')).not.toMatch(/\r|\u001b/);
  });
});

describe('annotations of hostile titles', () => {
  test('no line of the output but the command itself: newlines are %0A, ANSI removed, titles one line', () => {
    const hostile: FileRecord[] = [
      {
        ...files[0]!,
        tests: [
          { ...files[0]!.tests[0]!, status: 'failed', titles: ['t\n::add-mask::x\n::error file=a.js::spoofed \u001b[31mred'], failures: ['boom\r\n::error::again\u001b[0m'] },
        ],
      },
    ];
    const lines = githubAnnotations(hostile).join('\n').split('\n');
    expect(lines.filter((line) => line.startsWith('::'))).toHaveLength(lines.length);
    expect(lines.join('\n')).not.toMatch(/\u001b|\r/);
    expect(lines.join('\n')).toContain('title=t\\n%3A%3Aadd-mask%3A%3Ax\\n%3A%3Aerror file=a.js%3A%3Aspoofed red');
  });
});
