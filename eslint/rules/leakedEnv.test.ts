import { RuleTester } from 'eslint';
import { rule } from './leakedEnv';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const lines = (...text: string[]): string => text.join('\n');
const set = (key: string) => `process.env.${key} is set here and not put back before the next test: save it, and restore it in afterEach`;

tester.run('leaked-env', rule, {
  valid: [
    // saved in beforeEach, put back in afterEach
    lines("describe('d', () => {", '  let saved;', '  beforeEach(() => { saved = process.env.NODE_ENV; process.env.NODE_ENV = "production"; });', '  afterEach(() => { process.env.NODE_ENV = saved; });', "  test('a', () => {});", '});'),
    // a fresh copy per test (the Jest docs' way), put back in afterAll
    lines('const OLD_ENV = process.env;', 'beforeEach(() => { process.env = { ...OLD_ENV }; });', 'afterAll(() => { process.env = OLD_ENV; });', "test('a', () => { process.env.API_URL = 'x'; delete process.env.HOME; });"),
    // put back in the test itself, after the write
    lines("test('a', () => {", '  const old = process.env.TZ;', "  process.env.TZ = 'UTC';", '  try { run(); } finally { process.env.TZ = old; }', '});'),
    lines("test('a', () => {", "  process.env.FLAG = '1';", '  run();', '  delete process.env.FLAG;', '});'),
    // restored wholesale in afterEach
    lines('const saved = { ...process.env };', 'afterEach(() => { Object.assign(process.env, saved); });', "test('a', () => { process.env.A = '1'; });"),
    // reads are not writes; module level is the file's
    lines("process.env.MODE = 'test';", "test('a', () => { expect(process.env.MODE).toBe('test'); });"),
    lines('/** @flakeguard-allow leaked-env */', "test('a', () => { process.env.A = '1'; });"),
  ],
  invalid: [
    {
      code: lines("describe('leaks', () => {", "  test('a', () => {", "    process.env.API_URL = 'http://localhost:9999';", '  });', "  test('b', () => {", '    delete process.env.HOME;', '  });', '});'),
      errors: [
        { message: set('API_URL'), line: 3, column: 5 },
        { message: 'process.env.HOME is deleted here and not put back before the next test: save it, and restore it in afterEach', line: 6, column: 5 },
      ],
    },
    {
      // set again to a literal is not putting it back; an afterEach for another key does not help; one report per key
      code: lines("afterEach(() => { process.env.OTHER = saved; });", "test('a', () => {", "  process.env.MODE = 'a';", "  process.env.MODE = 'b';", '  process.env[key] = 1;', '});'),
      errors: [
        { message: set('MODE'), line: 3, column: 3 },
        { message: 'process.env is written here (a computed key) and not put back before the next test: save it, and restore it in afterEach', line: 5, column: 3 },
      ],
    },
    {
      // a copy made on the spot is a write of its own, not the original put back
      code: lines("test('a', () => {", "  process.env.FIRST = '1';", '  process.env = { ...process.env };', '});'),
      errors: [
        { message: set('FIRST'), line: 2, column: 3 },
        { message: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll', line: 3, column: 3 },
      ],
    },
    {
      // replaced in a test; a beforeEach's fresh copy restored only in an outer afterAll
      code: lines("test('a', () => {", "  process.env = { NODE_ENV: 'test' };", '});', "describe('d', () => {", '  beforeEach(() => { process.env = { ...base }; });', "  test('b', () => {});", '});', 'afterAll(() => { process.env = base; });'),
      errors: [
        { message: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll', line: 2, column: 3 },
        { message: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll', line: 5, column: 22 },
      ],
    },
  ],
});
