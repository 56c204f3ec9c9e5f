import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FileRecord } from '../core/runRecord';
import type { Selection } from '../core/selection';
import { sendSelection } from '../io/selectionFile';
import { loadSelection, notFound, notFoundError } from './rerunTargets';

const test_ = (titles: string[], status: 'passed' | 'failed' | 'skipped' = 'passed') => ({
  titles,
  status,
  attempts: 1,
  durationMs: 1,
  failures: [],
  earlierFailures: [],
  line: null,
  column: null,
});

describe('rerunTargets', () => {
  let root: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-rerun-'));
    for (const name of ['a.test.ts', 'b.test.ts', 'c.test.ts']) fs.writeFileSync(path.join(root, name), '');
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('no selection in the environment: null; a readable one is read; an unreadable one is a one-line warning and null', () => {
    expect(loadSelection({})).toBeNull();
    const file = path.join(root, 'selection.json');
    const selection: Selection = { schemaVersion: 1, include: { [path.join(root, 'a.test.ts')]: 'all' } };
    const env = sendSelection({}, file, selection);
    expect(loadSelection(env)).toEqual(selection);
    fs.writeFileSync(file, '{ torn');
    expect(loadSelection(env)).toBeNull();
    const warnings = stderr.mock.calls.map(([text]) => String(text));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^flakeguard: .*selection\.json/);
    expect(warnings[0]!.trimEnd()).not.toContain('\n');
  });

  test('targets not found: a missing test, a file never run in its project, a file gone; a file never reached is not listed', () => {
    const at = (name: string) => path.join(root, name);
    const selection: Selection = {
      schemaVersion: 1,
      targets: [
        { project: null, file: 'a.test.ts', testPath: at('a.test.ts'), titles: ['s', 'found'] },
        { project: null, file: 'a.test.ts', testPath: at('a.test.ts'), titles: ['s', 'renamed'] },
        { project: 'other', testPath: at('a.test.ts'), titles: null },
        { project: null, file: 'gone.test.ts', testPath: at('gone.test.ts'), titles: null },
        { project: null, file: 'b.test.ts', testPath: at('b.test.ts'), titles: null },
      ],
    };
    const files: FileRecord[] = [{ project: null, file: 'a.test.ts', durationMs: 1, error: null, tests: [test_(['s', 'found'])] }];
    expect(notFound(root, selection, files, [{ project: null, file: 'b.test.ts' }])).toEqual([
      { project: null, file: 'a.test.ts', titles: ['s', 'renamed'], why: 'test-missing' },
      { project: 'other', file: 'a.test.ts', titles: null, why: 'file-not-run' },
      { project: null, file: 'gone.test.ts', titles: null, why: 'file-gone' },
    ]);
  });

  test('no selection or no targets: nothing is not found', () => {
    expect(notFound(root, null, [], [])).toEqual([]);
    expect(notFound(root, { schemaVersion: 1, targets: [] }, [], [])).toEqual([]);
  });

  test('the error Jest fails the run with says how many were not found; none: no error', () => {
    expect(notFoundError(0)).toBeUndefined();
    expect(notFoundError(2)?.message).toBe('jest-flakeguard: 2 test(s) or file(s) flakeguard rerun named were not found in their project');
  });
});
