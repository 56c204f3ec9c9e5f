import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FlakeguardError } from './errors';
import {
  addEntry,
  baseProject,
  danglingEntries,
  describeExpired,
  expiredEntries,
  isQuarantinedBy,
  quarantineSelections,
  removeEntry,
  resolveExpires,
  validateQuarantine,
  type Quarantine,
  type QuarantineEntry,
} from './quarantine';
import { loadQuarantineSelection, readQuarantine, writeQuarantine } from '../io/quarantineFile';
import { selectTest } from './selection';

const FILE = '/repo/.flakeguard/quarantine.json';
const entry = (over: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  file: 'test/a.test.ts',
  titles: ['suite', 'test'],
  reason: 'races the cache',
  owner: 'ana',
  added: '2026-11-25',
  expires: '2026-12-25',
  ...over,
});
const q = (...entries: QuarantineEntry[]): Quarantine => ({ schemaVersion: 1, entries });

function errorOf(fn: () => unknown): FlakeguardError {
  try {
    fn();
  } catch (error) {
    if (error instanceof FlakeguardError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('validateQuarantine', () => {
  test('accepts the documented shape and drops unknown keys', () => {
    const parsed = validateQuarantine({ schemaVersion: 1, entries: [{ ...entry(), issue: 'https://x/1', extra: true }] }, FILE);
    expect(parsed).toEqual({ schemaVersion: 1, entries: [{ ...entry(), issue: 'https://x/1' }] });
  });

  test('a file name that only starts with two dots is inside rootDir', () => {
    const parsed = validateQuarantine({ schemaVersion: 1, entries: [{ file: '..hidden/a.test.js', reason: 'r', added: '2026-01-01' }] }, FILE);
    expect(parsed.entries[0]!.file).toBe('..hidden/a.test.js');
  });

  test('titles omitted means the whole file', () => {
    const parsed = validateQuarantine({ schemaVersion: 1, entries: [{ file: 'a.test.js', reason: 'r', added: '2026-01-01' }] }, FILE);
    expect(parsed.entries[0]!.titles).toBeUndefined();
  });

  test.each([
    ['a list', [], 'not a JSON object'],
    ['another version', { schemaVersion: 2, entries: [] }, 'schemaVersion must be 1, found 2'],
    ['no entries', { schemaVersion: 1 }, '"entries" must be an array'],
    ['no reason', { schemaVersion: 1, entries: [{ file: 'a', added: '2026-01-01' }] }, 'entries[0].reason must be a non-empty string'],
    ['empty titles', { schemaVersion: 1, entries: [{ file: 'a', titles: [], reason: 'r', added: '2026-01-01' }] }, 'entries[0].titles'],
    ['an absolute file', { schemaVersion: 1, entries: [{ file: '/abs/a', reason: 'r', added: '2026-01-01' }] }, 'entries[0].file must be relative'],
    ['a file outside rootDir', { schemaVersion: 1, entries: [{ file: '../x.js', reason: 'r', added: '2026-01-01' }] }, 'entries[0].file "../x.js" is outside rootDir'],
    ['a file escaping through a folder', { schemaVersion: 1, entries: [{ file: 'test/../../x.js', reason: 'r', added: '2026-01-01' }] }, 'is outside rootDir'],
    ['a bad date', { schemaVersion: 1, entries: [{ file: 'a', reason: 'r', added: '2026-02-30' }] }, 'entries[0].added must be a date'],
    ['a bad expiry', { schemaVersion: 1, entries: [{ file: 'a', reason: 'r', added: '2026-02-01', expires: '30d' }] }, 'entries[0].expires'],
  ])('rejects %s, naming the file and the problem', (_, value, problem) => {
    const error = errorOf(() => validateQuarantine(value, FILE));
    expect(error.code).toBe('BAD_QUARANTINE');
    expect(error.message.startsWith(`${FILE}: `)).toBe(true);
    expect(error.message).toContain(problem);
    expect(error.message).not.toContain('\n');
  });
});

describe('read and write', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-quarantine-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a missing file is an empty quarantine', () => {
    expect(readQuarantine(path.join(dir, 'none.json'))).toEqual({ schemaVersion: 1, entries: [] });
  });

  test('round-trips, sorted by file then titles, creating the directory', () => {
    const file = path.join(dir, '.flakeguard', 'quarantine.json');
    const b = entry({ file: 'test/b.test.ts' });
    const a2 = entry({ titles: ['suite', 'z'] });
    const a1 = entry();
    writeQuarantine(file, q(b, a2, a1));
    expect(readQuarantine(file).entries).toEqual([a1, a2, b]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['quarantine.json']);
  });

  test('corrupt JSON is one line naming the file', () => {
    const file = path.join(dir, 'quarantine.json');
    fs.writeFileSync(file, '{"schemaVersion": 1, "entries": [');
    const error = errorOf(() => readQuarantine(file));
    expect(error.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
    expect(error.message).not.toContain('\n');
  });
});

describe('entries', () => {
  test('add replaces the entry for the same target, remove drops exactly that target', () => {
    const whole = entry({ titles: undefined });
    let quarantine = addEntry(q(entry(), whole), entry({ reason: 'new reason' }));
    expect(quarantine.entries.map((e) => e.reason)).toEqual(['races the cache', 'new reason']);
    const removed = removeEntry(quarantine, { file: 'test/a.test.ts' });
    expect(removed.removed).toBe(true);
    expect(removed.quarantine.entries).toEqual([entry({ reason: 'new reason' })]);
    quarantine = removed.quarantine;
    expect(removeEntry(quarantine, { file: 'test/a.test.ts', titles: ['other'] }).removed).toBe(false);
  });
});

describe('expiry', () => {
  test('resolveExpires counts days, weeks and 30-day months from today, or takes a date', () => {
    expect(resolveExpires('30d', '2026-11-25')).toBe('2026-12-25');
    expect(resolveExpires('2w', '2026-12-25')).toBe('2027-01-08');
    expect(resolveExpires('1m', '2024-02-01')).toBe('2024-03-02');
    expect(resolveExpires('2026-12-01', '2026-11-25')).toBe('2026-12-01');
  });

  test('resolveExpires refuses a past date, zero and nonsense', () => {
    expect(errorOf(() => resolveExpires('2026-11-24', '2026-11-25')).message).toContain('2026-11-24 is already past');
    expect(errorOf(() => resolveExpires('0d', '2026-11-25')).code).toBe('BAD_OPTION');
    expect(errorOf(() => resolveExpires('soon', '2026-11-25')).message).toContain('use a duration');
  });

  test('resolveExpires: a duration past year 9999 is one line naming the flag, not "Invalid time value"', () => {
    for (const spec of ['99999999d', '3000000d', `${'9'.repeat(30)}d`]) {
      const error = errorOf(() => resolveExpires(spec, '2026-11-25'));
      expect(error.message).toBe(`--expires ${spec}: too far in the future (the last date is 9999-12-31; --expires never for no expiry)`);
    }
    expect(resolveExpires('2000000d', '2026-11-25')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('an entry is valid through its expires day', () => {
    const quarantine = q(entry({ expires: '2026-12-25' }), entry({ file: 'b', expires: undefined }));
    expect(expiredEntries(quarantine, '2026-12-25')).toEqual([]);
    expect(expiredEntries(quarantine, '2026-12-26')).toEqual([quarantine.entries[0]]);
  });

  test('the expiry line says the entry lapsed after its last valid day, with its owner', () => {
    expect(describeExpired(entry())).toBe(
      'quarantine of "test/a.test.ts > suite > test" (owner: ana) expired after 2026-12-25: ' +
        'fix the test and run `flakeguard quarantine remove`, or extend it with `flakeguard quarantine add … --expires`',
    );
  });
});

describe('danglingEntries', () => {
  test('reports missing files, and missing tests only where the titles are known', () => {
    const gone = entry({ file: 'gone.test.ts' });
    const renamed = entry({ titles: ['suite', 'renamed'] });
    const kept = entry();
    const unknownTitles = entry({ file: 'c.test.ts' });
    const wholeFile = entry({ titles: undefined });
    const existing = {
      fileExists: (file: string) => file !== 'gone.test.ts',
      titlesOf: (file: string) =>
        file === 'test/a.test.ts'
          ? [
              ['suite', 'test'],
              ['suite', 'other'],
            ]
          : undefined,
    };
    expect(danglingEntries(q(gone, renamed, kept, unknownTitles, wholeFile), existing)).toEqual([
      { entry: gone, problem: 'file-missing' },
      { entry: renamed, problem: 'test-missing' },
    ]);
  });
});

describe('quarantineSelections', () => {
  const root = path.resolve('/repo');
  const abs = (file: string) => path.join(root, ...file.split('/'));
  const quarantine = q(
    entry({ file: 'test/a.test.ts', titles: ['suite', 'test'], reason: 'r1' }),
    entry({ file: 'test/a.test.ts', titles: ['other'], reason: 'r2' }),
    entry({ file: 'test/b.test.ts', titles: undefined, reason: 'whole' }),
    entry({ file: 'test/c.test.ts', titles: ['x'], reason: 'shadowed by pragma' }),
  );
  const split = quarantineSelections(quarantine, root, new Map([['test/c.test.ts', 'pragma reason']]));

  test('lists whole and partial files', () => {
    expect(split.wholeFiles).toEqual(['test/b.test.ts', 'test/c.test.ts']);
    expect(split.partialFiles).toEqual(['test/a.test.ts']);
  });

  test('stable skips exactly the quarantined tests, with the reason', () => {
    expect(selectTest(split.stable, abs('test/a.test.ts'), ['suite', 'test'])).toEqual({ run: false, reason: 'quarantined: r1' });
    expect(selectTest(split.stable, abs('test/a.test.ts'), ['other'])).toEqual({ run: false, reason: 'quarantined: r2' });
    expect(selectTest(split.stable, abs('test/a.test.ts'), ['suite', 'other'])).toEqual({ run: true });
    expect(selectTest(split.stable, abs('test/b.test.ts'), ['any'])).toEqual({ run: false, reason: 'quarantined' });
    expect(selectTest(split.stable, abs('test/d.test.ts'), ['any'])).toEqual({ run: true });
  });

  test('flaky runs exactly the quarantined tests and whole files', () => {
    expect(selectTest(split.flaky, abs('test/a.test.ts'), ['suite', 'test'])).toEqual({ run: true });
    expect(selectTest(split.flaky, abs('test/a.test.ts'), ['suite', 'other']).run).toBe(false);
    expect(selectTest(split.flaky, abs('test/b.test.ts'), ['any'])).toEqual({ run: true });
    expect(selectTest(split.flaky, abs('test/c.test.ts'), ['not x'])).toEqual({ run: true });
  });

  test('loadQuarantineSelection reads the file for one project', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-quarantine-'));
    try {
      const file = path.join(dir, 'quarantine.json');
      writeQuarantine(file, quarantine);
      const only = loadQuarantineSelection({ mode: 'only', file, rootDir: dir });
      expect(only.include![path.join(dir, 'test', 'a.test.ts')]).toEqual([['other'], ['suite', 'test']]);
      const exclude = loadQuarantineSelection({ mode: 'exclude', file, rootDir: dir });
      expect(exclude.exclude![path.join(dir, 'test', 'b.test.ts')]).toBe('all');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('baseProject joins the two halves of a split project', () => {
  expect(baseProject(null)).toBeNull();
  expect(baseProject('stable')).toBeNull();
  expect(baseProject('flaky')).toBeNull();
  expect(baseProject('web flaky')).toBe('web');
  expect(baseProject('web stable')).toBe('web');
  expect(baseProject('web')).toBe('web');
});

test('isQuarantinedBy: test entries, whole-file entries and @flaky files, in any project', () => {
  const isQuarantined = isQuarantinedBy(q(entry(), entry({ file: 'whole.test.ts', titles: undefined })), new Set(['pragma.test.ts']));
  expect(isQuarantined({ file: 'test/a.test.ts', titles: ['suite', 'test'] })).toBe(true);
  expect(isQuarantined({ file: 'test/a.test.ts', titles: ['suite'] })).toBe(false);
  expect(isQuarantined({ file: 'test/a.test.ts', titles: ['suite', 'test', 'x'] })).toBe(false);
  expect(isQuarantined({ file: 'whole.test.ts', titles: ['any'] })).toBe(true);
  expect(isQuarantined({ file: 'pragma.test.ts', titles: ['any'] })).toBe(true);
  expect(isQuarantined({ file: 'other.test.ts', titles: ['suite', 'test'] })).toBe(false);
});
