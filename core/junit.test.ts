import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitXml } from './junit';
import type { FileRecord, TestRecord } from './runRecord';

const test_ = (titles: string[], overrides: Partial<TestRecord> = {}): TestRecord => ({
  titles,
  status: 'passed',
  attempts: 1,
  durationMs: 1500,
  failures: [],
  earlierFailures: [],
  line: null,
  column: null,
  ...overrides,
});

const files: FileRecord[] = [
  {
    project: 'unit',
    file: 'src/a.test.ts',
    durationMs: 2000,
    error: null,
    tests: [
      test_(['ok <&> "quoted"']),
      test_(['flaky'], { attempts: 3, earlierFailures: ['Error: first'] }),
      test_(['failed'], {
        status: 'failed',
        attempts: 3,
        failures: ['\u001b[31mError: last\u001b[39m\n    at x (src/a.test.ts:3:4)\u0007'],
        earlierFailures: ['Error: 1', 'Error: 2'],
      }),
      test_(['skip'], { status: 'skipped', attempts: 0 }),
      test_(['todo'], { status: 'todo', attempts: 0 }),
    ],
  },
  { project: null, file: 'src/broken.test.ts', durationMs: null, error: 'SyntaxError: Unexpected token', tests: [] },
];

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'flakyFailure', 'rerunFailure'].includes(name) }).parse(xml);

describe('junitXml', () => {
  const xml = junitXml(files, { name: 'jest', timestamp: '2026-01-01T00:00:00.000Z' });
  const doc = parse(xml);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed XML tree, read field by field
  const cases = doc.testsuites.testsuite[0].testcase as Array<Record<string, any>>;
  const byName = (name: string) => cases.find((tc) => tc.name === name)!;

  test('is well-formed XML with totals on <testsuites> and each <testsuite>', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(doc.testsuites).toMatchObject({ name: 'jest', tests: '6', failures: '1', errors: '1', time: '2.000' });
    // Jenkins' junit-10.xsd: no `skipped` on testsuites, no `file` on a testcase (the suite carries it).
    expect(doc.testsuites).not.toHaveProperty('skipped');
    expect(doc.testsuites.testsuite[0]).toMatchObject({
      name: 'src/a.test.ts',
      file: 'src/a.test.ts',
      tests: '5',
      failures: '1',
      errors: '0',
      skipped: '2',
      timestamp: '2026-01-01T00:00:00.000Z',
    });
    expect(doc.testsuites.testsuite[0].properties.property).toEqual({ name: 'project', value: 'unit' });
  });

  test('one testcase per test, names escaped and restored by the parser', () => {
    expect(cases.map((tc) => tc.name)).toEqual(['ok <&> "quoted"', 'flaky', 'failed', 'skip', 'todo']);
    expect(byName('flaky')).toMatchObject({ classname: 'unit src/a.test.ts', time: '1.500' });
    expect(byName('flaky')).not.toHaveProperty('file');
  });

  test('flaky: one <flakyFailure> per failed attempt, even when Jest kept no message', () => {
    expect(byName('flaky').flakyFailure).toEqual([
      { message: 'Error: first', type: 'retry', stackTrace: 'Error: first' },
      { message: 'attempt 2 failed', type: 'retry', stackTrace: 'attempt 2 failed' },
    ]);
    expect(byName('flaky').failure).toBeUndefined();
  });

  test('failed every time: <failure> plus one <rerunFailure> per earlier attempt; colour and control codes removed', () => {
    expect(byName('failed').failure.message).toBe('Error: last');
    expect(byName('failed').failure['#text']).toBe('Error: last\n    at x (src/a.test.ts:3:4)');
    expect(byName('failed').rerunFailure.map((r: { message: string }) => r.message)).toEqual(['Error: 1', 'Error: 2']);
  });

  test('skipped and todo are <skipped>; a file that failed to run is one testcase with <error>', () => {
    expect(byName('skip').skipped).toBe('');
    expect(byName('todo').skipped).toEqual({ message: 'todo' });
    const broken = doc.testsuites.testsuite[1];
    expect(broken).toMatchObject({ name: 'src/broken.test.ts', errors: '1' });
    expect(broken.testcase[0].error).toMatchObject({ message: 'SyntaxError: Unexpected token', type: 'error' });
  });

  test('control characters XML 1.0 forbids are gone from attributes too: titles, files, project names', () => {
    const dirty: FileRecord[] = [
      {
        project: 'unit\u001b[1m',
        file: 'src/odd\u0002.test.ts',
        durationMs: 1,
        error: null,
        tests: [test_(['a \u0001 title', 'with\u000b\u001f'], { status: 'failed', failures: ['Error: \u0000boom'] })],
      },
    ];
    const out = junitXml(dirty, { name: 'jest\u0007', timestamp: '2026-01-01T00:00:00.000Z' });
    // What XML 1.0's Char production allows; a strict parser (expat, libxml2) rejects anything else, escaped or not.
    const forbidden = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
    expect(out).not.toMatch(forbidden);
    const suite = parse(out).testsuites.testsuite[0];
    expect(suite.name).toBe('src/odd.test.ts');
    expect(suite.properties.property.value).toBe('unit');
    expect(suite.testcase[0]).toMatchObject({ name: 'a  title › with', classname: 'unit src/odd.test.ts' });
  });

  test('newlines and tabs in a name are character references, so a parser keeps them (a raw one reads as a space)', () => {
    const out = junitXml([{ project: null, file: 'a.test.ts', durationMs: 1, error: null, tests: [test_(['line one\nline two\tend'])] }], { name: 'jest', timestamp: 't' });
    expect(out).toContain('name="line one&#10;line two&#9;end"');
    expect(out).not.toMatch(/name="[^"]*[\n\t]/);
  });
});
