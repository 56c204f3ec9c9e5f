import { RuleTester } from 'eslint';
import { rule } from './unrestoredSpy';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
/** RuleTester checks a count of suggestions too (ESLint 9); its types only know the array form. */
const SOME = 1 as unknown as RuleTester.SuggestionOutput[];
const lines = (...text: string[]): string => text.join('\n');
/** A test after the case: a leak is one when a later test of the file can see it. */
const withNext = (code: string): string => `${code}\ntest('next', () => {});`;
const spy = (name: string) => `spy on ${name} is not restored before the next test: no mockRestore(), no jest.restoreAllMocks() in afterEach, restoreMocks is off`;

tester.run('unrestored-spy', rule, {
  valid: [
    // restored in the test, after the spy
    lines("test('a', () => {", "  const s = jest.spyOn(api, 'load');", '  run();', '  s.mockRestore();', '});'),
    // restored by the property path
    lines("test('a', () => {", "  jest.spyOn(api, 'load');", '  api.load.mockRestore();', '});'),
    // restoreAllMocks in an afterEach of an enclosing describe
    lines(
      "describe('d', () => {",
      '  afterEach(() => jest.restoreAllMocks());',
      "  describe('e', () => {",
      "    test('a', () => { jest.spyOn(api, 'load'); });",
      '  });',
      '});',
    ),
    // made in beforeEach, restored in afterEach through the variable it is kept in
    lines('let s;', "beforeEach(() => { s = jest.spyOn(console, 'error').mockImplementation(() => {}); });", 'afterEach(() => s.mockRestore());', "test('a', () => {});"),
    // made in beforeEach, restored in the same block's afterAll
    lines("describe('d', () => {", "  beforeEach(() => { jest.spyOn(api, 'load'); });", '  afterAll(() => { jest.restoreAllMocks(); });', "  test('a', () => {});", '});'),
    // replaceProperty restored with restore()
    lines("test('a', () => {", "  const r = jest.replaceProperty(config, 'mode', 'x');", '  r.restore();', '});'),
    // module level and beforeAll belong to the file, not to a test
    lines("jest.spyOn(api, 'load');", "beforeAll(() => { jest.spyOn(api, 'save'); });", "test('a', () => {});"),
    // restoreMocks in the settings
    { code: "test('a', () => { jest.spyOn(api, 'load'); });", settings: { flakeguard: { jest: { restoreMocks: true } } } },
    // the file's last test: no later test sees the spy (each file has its own module registry)
    lines("test('a', () => {});", "test('last', () => { jest.spyOn(api, 'load'); });"),
    // a later test's beforeEach restores everything before it runs
    lines("test('a', () => { jest.spyOn(api, 'load'); });", "describe('d', () => {", '  beforeEach(() => jest.restoreAllMocks());', "  test('b', () => {});", '});'),
    // a spy on an object the test made itself
    lines(
      "test('a', () => {",
      '  const program = new Command();',
      "  jest.spyOn(program, 'unknownOption').mockImplementation(() => { throw new Error('x'); });",
      '});',
      "test('b', () => {});",
    ),
    // made to see Jest refuse it
    lines("test('a', () => { expect(() => jest.replaceProperty(config, 'lazy', 2)).toThrow(/getter/); });"),
    // opted out for the environment check of the same name
    lines('/** @flakeguard-allow unrestored-spy */', "test('a', () => { jest.spyOn(api, 'load'); });"),
  ],
  invalid: [
    {
      code: withNext(lines("test('a', () => {", "  jest.spyOn(api, 'load').mockResolvedValue(1);", '});')),
      errors: [
        {
          message: spy('api.load'),
          line: 2,
          column: 3,
          suggestions: [
            {
              desc: 'Add afterEach(() => jest.restoreAllMocks())',
              output: withNext(lines('afterEach(() => jest.restoreAllMocks());', "test('a', () => {", "  jest.spyOn(api, 'load').mockResolvedValue(1);", '});')),
            },
          ],
        },
      ],
    },
    {
      // restored before the spy is made does not count; an afterEach in a sibling describe does not apply
      code: withNext(
        lines(
          "describe('d', () => {",
          '  beforeEach(() => {});',
          "  test('a', () => {",
          '    jest.restoreAllMocks();',
          "    jest.spyOn(Date, 'now');",
          '  });',
          '});',
          "describe('e', () => { afterEach(() => jest.restoreAllMocks()); });",
        ),
      ),
      errors: [
        {
          message: spy('Date.now'),
          line: 5,
          column: 5,
          suggestions: [
            {
              desc: 'Add afterEach(() => jest.restoreAllMocks())',
              output: withNext(
                lines(
                  "describe('d', () => {",
                  '  beforeEach(() => {});',
                  '  afterEach(() => jest.restoreAllMocks());',
                  "  test('a', () => {",
                  '    jest.restoreAllMocks();',
                  "    jest.spyOn(Date, 'now');",
                  '  });',
                  '});',
                  "describe('e', () => { afterEach(() => jest.restoreAllMocks()); });",
                ),
              ),
            },
          ],
        },
      ],
    },
    {
      // made in beforeEach, and restored only in an outer afterAll: it leaks into the outer tests
      code: withNext(
        lines(
          "describe('d', () => {",
          '  afterAll(() => jest.restoreAllMocks());',
          "  describe('e', () => {",
          "    beforeEach(() => jest.spyOn(api, 'load'));",
          "    it('a', () => {});",
          '  });',
          "  it('b', () => {});",
          '});',
        ),
      ),
      errors: [
        {
          message: spy('api.load'),
          line: 4,
          column: 22,
          suggestions: [
            {
              desc: 'Add afterEach(() => jest.restoreAllMocks())',
              output: withNext(
                lines(
                  "describe('d', () => {",
                  '  afterAll(() => jest.restoreAllMocks());',
                  "  describe('e', () => {",
                  "    beforeEach(() => jest.spyOn(api, 'load'));",
                  '    afterEach(() => jest.restoreAllMocks());',
                  "    it('a', () => {});",
                  '  });',
                  "  it('b', () => {});",
                  '});',
                ),
              ),
            },
          ],
        },
      ],
    },
    {
      // the other spy's mockRestore does not restore this one; test.each tests are tests
      code: withNext(lines("test.each([1, 2])('n %i', (n) => {", "  const a = jest.spyOn(api, 'load');", "  const b = jest.spyOn(api, 'save');", '  a.mockRestore();', '});')),
      errors: [{ message: spy('api.save'), line: 3, column: 13, suggestions: SOME }],
    },
    {
      // a test.each test runs again after itself: its next row sees the spy
      code: lines("test.each([1, 2])('n %i', () => {", "  jest.spyOn(api, 'load');", '});'),
      errors: [{ message: spy('api.load'), line: 2, column: 3, suggestions: SOME }],
    },
    {
      // jest.retryTimes: a test's retry runs after it
      code: lines('jest.retryTimes(2);', "test('a', () => {", "  jest.spyOn(api, 'load');", '});'),
      errors: [{ message: spy('api.load'), line: 3, column: 3, suggestions: SOME }],
    },
    {
      code: withNext(lines("it('a', () => {", "  jest.replaceProperty(process, 'platform', 'win32');", '});')),
      errors: [
        {
          message: 'property process.platform replaced here is not restored before the next test: no restore(), no jest.restoreAllMocks() in afterEach, restoreMocks is off',
          line: 2,
          column: 3,
          suggestions: SOME,
        },
      ],
    },
  ],
});
