import { RuleTester } from 'eslint';
import { rule } from './fakeTimersLeft';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
const lines = (...text: string[]): string => text.join('\n');
/** A test after the case: a leak is one when a later test of the file can see it. */
const withNext = (code: string): string => `${code}\ntest('next', () => {});`;
const left = 'fake timers switched on here stay on for the tests that follow: no jest.useRealTimers() in the test or in afterEach';

tester.run('fake-timers-left', rule, {
  valid: [
    lines("test('a', () => {", '  jest.useFakeTimers();', '  jest.advanceTimersByTime(10);', '  jest.useRealTimers();', '});'),
    lines("describe('d', () => {", '  beforeEach(() => jest.useFakeTimers());', '  afterEach(() => jest.useRealTimers());', "  test('a', () => {});", '});'),
    // a file-level beforeEach puts every test on fake time
    lines('beforeEach(() => { jest.useFakeTimers(); });', "test('a', () => {});", "test('b', () => {});"),
    // the later tests switch them on for themselves
    lines("test('a', () => { jest.useFakeTimers(); });", "describe('d', () => {", '  beforeEach(() => jest.useFakeTimers());', "  test('b', () => {});", '});'),
    lines('jest.useFakeTimers();', 'beforeAll(() => jest.useFakeTimers());', "test('a', () => {});"),
    lines('/** @flakeguard-allow fake-timers-left */', "test('a', () => { jest.useFakeTimers(); });"),
  ],
  invalid: [
    {
      code: withNext(lines("describe('leaks', () => {", "  test('a', () => {", '    jest.useFakeTimers();', '  });', '});')),
      errors: [
        {
          message: left,
          line: 3,
          column: 5,
          suggestions: [
            {
              desc: 'Add afterEach(() => jest.useRealTimers())',
              output: withNext(
                lines("describe('leaks', () => {", '  afterEach(() => jest.useRealTimers());', "  test('a', () => {", '    jest.useFakeTimers();', '  });', '});'),
              ),
            },
          ],
        },
      ],
    },
    {
      // switched back before being switched on does not count; a nested beforeEach leaks into the outer tests
      code: withNext(
        lines(
          "describe('d', () => {",
          "  describe('e', () => {",
          '    beforeEach(() => { jest.useFakeTimers({ now: 0 }); });',
          "    test('a', () => { jest.useRealTimers(); });",
          '  });',
          "  test('b', () => {});",
          '});',
        ),
      ),
      errors: [
        {
          message: left,
          line: 3,
          column: 24,
          suggestions: [
            {
              desc: 'Add afterEach(() => jest.useRealTimers())',
              output: withNext(
                lines(
                  "describe('d', () => {",
                  "  describe('e', () => {",
                  '    beforeEach(() => { jest.useFakeTimers({ now: 0 }); });',
                  '    afterEach(() => jest.useRealTimers());',
                  "    test('a', () => { jest.useRealTimers(); });",
                  '  });',
                  "  test('b', () => {});",
                  '});',
                ),
              ),
            },
          ],
        },
      ],
    },
  ],
});
