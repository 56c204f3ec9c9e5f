import { RuleTester } from 'eslint';
import { rule } from './leakedEnv';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const lines = (...text: string[]): string => text.join('\n');
/** A test after the case: a leak is one when a later test of the file can see it. */
const withNext = (code: string): string => `${code}\ntest('next', () => {});`;
const set = (key: string) => `process.env.${key} is set here and not put back before the next test: save it, and restore it in afterEach`;

tester.run('leaked-env', rule, {
  valid: [
    // saved in beforeEach, put back in afterEach
    lines(
      "describe('d', () => {",
      '  let saved;',
      '  beforeEach(() => { saved = process.env.NODE_ENV; process.env.NODE_ENV = "production"; });',
      '  afterEach(() => { process.env.NODE_ENV = saved; });',
      "  test('a', () => {});",
      '});',
    ),
    // a fresh copy per test (the Jest docs' way), put back in afterAll
    lines(
      'const OLD_ENV = process.env;',
      'beforeEach(() => { process.env = { ...OLD_ENV }; });',
      'afterAll(() => { process.env = OLD_ENV; });',
      "test('a', () => { process.env.API_URL = 'x'; delete process.env.HOME; });",
    ),
    // put back in the test itself, after the write
    lines("test('a', () => {", '  const old = process.env.TZ;', "  process.env.TZ = 'UTC';", '  try { run(); } finally { process.env.TZ = old; }', '});'),
    lines("test('a', () => {", "  process.env.FLAG = '1';", '  run();', '  delete process.env.FLAG;', '});'),
    // restored wholesale in afterEach
    lines('const saved = { ...process.env };', 'afterEach(() => { Object.assign(process.env, saved); });', "test('a', () => { process.env.A = '1'; });"),
    // reads are not writes; module level is the file's
    lines("process.env.MODE = 'test';", "test('a', () => { expect(process.env.MODE).toBe('test'); });"),
    // every later test's beforeEach sets the keys afresh, and the block's afterAll puts them back (commander's way)
    lines(
      "describe('d', () => {",
      '  const hold = process.env.NO_COLOR;',
      '  beforeEach(() => { delete process.env.NO_COLOR; });',
      '  afterAll(() => { if (hold === undefined) delete process.env.NO_COLOR; else process.env.NO_COLOR = hold; });',
      "  test('a', () => { process.env.NO_COLOR = '1'; });",
      "  test('b', () => { process.env.NO_COLOR = ''; });",
      '});',
      "test('after', () => {});",
    ),
    // a beforeEach's writes reach only the tests after its block: here there are none
    lines("describe('d', () => {", '  beforeEach(() => { delete process.env.SILENT; });', "  test('a', () => { process.env.SILENT = '1'; });", '});'),
    lines('/** @flakeguard-allow leaked-env */', "test('a', () => { process.env.A = '1'; });"),
  ],
  invalid: [
    {
      // the same beforeEach, with a test after its block: that test sees the key deleted, and the last write
      code: lines(
        "describe('d', () => {",
        '  beforeEach(() => { delete process.env.SILENT; });',
        "  test('a', () => { process.env.SILENT = '1'; });",
        '});',
        "test('after', () => {});",
      ),
      errors: [
        { message: 'process.env.SILENT is deleted here and not put back before the next test: save it, and restore it in afterEach', line: 2, column: 22 },
        { message: set('SILENT'), line: 3, column: 21 },
      ],
    },
    {
      code: withNext(
        lines(
          "describe('leaks', () => {",
          "  test('a', () => {",
          "    process.env.API_URL = 'http://localhost:9999';",
          '  });',
          "  test('b', () => {",
          '    delete process.env.HOME;',
          '  });',
          '});',
        ),
      ),
      errors: [
        { message: set('API_URL'), line: 3, column: 5 },
        { message: 'process.env.HOME is deleted here and not put back before the next test: save it, and restore it in afterEach', line: 6, column: 5 },
      ],
    },
    {
      // set again to a literal is not putting it back; an afterEach for another key does not help; one report per key
      code: withNext(
        lines(
          'afterEach(() => { process.env.OTHER = saved; });',
          "test('a', () => {",
          "  process.env.MODE = 'a';",
          "  process.env.MODE = 'b';",
          '  process.env[key] = 1;',
          '});',
        ),
      ),
      errors: [
        { message: set('MODE'), line: 3, column: 3 },
        { message: 'process.env is written here (a computed key) and not put back before the next test: save it, and restore it in afterEach', line: 5, column: 3 },
      ],
    },
    {
      // a copy made on the spot is a write of its own, not the original put back
      code: withNext(lines("test('a', () => {", "  process.env.FIRST = '1';", '  process.env = { ...process.env };', '});')),
      errors: [
        { message: set('FIRST'), line: 2, column: 3 },
        { message: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll', line: 3, column: 3 },
      ],
    },
    {
      // replaced in a test; a beforeEach's fresh copy restored only in an outer afterAll
      code: withNext(
        lines(
          "test('a', () => {",
          "  process.env = { NODE_ENV: 'test' };",
          '});',
          "describe('d', () => {",
          '  beforeEach(() => { process.env = { ...base }; });',
          "  test('b', () => {});",
          '});',
          'afterAll(() => { process.env = base; });',
        ),
      ),
      errors: [
        { message: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll', line: 2, column: 3 },
        { message: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll', line: 5, column: 22 },
      ],
    },
  ],
});
