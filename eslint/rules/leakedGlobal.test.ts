import { RuleTester } from 'eslint';
import { rule } from './leakedGlobal';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const lines = (...text: string[]): string => text.join('\n');
/** A test after the case: a leak is one when a later test of the file can see it. */
const withNext = (code: string): string => `${code}\ntest('next', () => {});`;
const global = (key: string) => `global ${key} is assigned here and not removed before the next test: delete it (or put the original back) in afterEach`;

tester.run('leaked-global', rule, {
  valid: [
    lines("test('a', () => {", '  globalThis.tmp = 1;', '  delete globalThis.tmp;', '});'),
    lines('afterEach(() => { delete window.analytics; });', "test('a', () => { window.analytics = { track: jest.fn() }; });"),
    lines('const original = global.fetch;', 'afterEach(() => { global.fetch = original; });', "test('a', () => { global.fetch = jest.fn(); });"),
    lines("test('a', () => {", '  const original = globalThis.crypto;', '  globalThis.crypto = fake;', '  run();', '  globalThis.crypto = original;', '});'),
    // module level and beforeAll are the file's; a local variable named window is not the global
    lines('window.matchMedia = jest.fn();', "beforeAll(() => { Object.defineProperty(window, 'scrollTo', { value: jest.fn() }); });", "test('a', () => {});"),
    lines("test('a', () => {", '  const window = {};', '  window.x = 1;', '});'),
    // deep writes belong to the objects they change
    lines("test('a', () => { window.location.hash = '#x'; });"),
    lines('/** @flakeguard-allow leaked-global */', "test('a', () => { globalThis.userCache = new Map(); });"),
  ],
  invalid: [
    {
      code: withNext(lines("describe('leaks', () => {", "  test('a', () => {", '    globalThis.userCache = new Map();', '  });', '});')),
      errors: [{ message: global('userCache'), line: 3, column: 5 }],
    },
    {
      code: withNext(
        lines(
          "describe('d', () => {",
          "  beforeEach(() => { Object.defineProperty(window, 'matchMedia', { value: jest.fn(), configurable: true }); });",
          "  it('a', () => { global[Symbol.for('x')] = 1; self.onmessage = handler; });",
          '});',
        ),
      ),
      errors: [
        { message: global('matchMedia'), line: 2, column: 22 },
        { message: 'a global (computed key) is assigned here and not removed before the next test: delete it (or put the original back) in afterEach', line: 3, column: 19 },
        { message: global('onmessage'), line: 3, column: 48 },
      ],
    },
  ],
});
