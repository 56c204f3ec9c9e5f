import { RuleTester } from 'eslint';
import { rule } from './unusedMockOnce';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
/** RuleTester checks a count of suggestions too (ESLint 9); its types only know the array form. */
const SOME = 1 as unknown as RuleTester.SuggestionOutput[];
const lines = (...text: string[]): string => text.join('\n');
/** A test after the case: a leak is one when a later test of the file can see it. */
const withNext = (code: string): string => `${code}\ntest('next', () => {});`;
const excess = (queued: number, name: string, bound: number, why: string) =>
  `${queued} value${queued === 1 ? '' : 's'} queued with mock*Once on ${name}, but the test makes at most ${bound} call${bound === 1 ? '' : 's'} (${why}): the rest are served to the next test that calls it`;

tester.run('unused-mock-once', rule, {
  valid: [
    // consumed by direct calls
    lines('const load = jest.fn();', "test('a', () => {", '  load.mockReturnValueOnce(1).mockReturnValueOnce(2);', '  load();', '  load();', '});'),
    // handed to code under test: the calls cannot be counted
    lines(
      'const load = jest.fn();',
      'const client = makeClient(load);',
      "test('a', () => {",
      '  load.mockReturnValueOnce(1).mockReturnValueOnce(2);',
      '  client.run();',
      '});',
    ),
    // an imported (jest.mock) function: called by the code under test
    lines("import { fetchUser } from './api';", "jest.mock('./api');", "test('a', async () => {", "  fetchUser.mockResolvedValueOnce('a');", '  await render();', '});'),
    // a mock made in the test dies with it
    lines("test('a', () => {", '  const log = jest.fn();', "  log.mockImplementationOnce(() => 'x');", '});'),
    // as many values as asserted calls
    lines(
      "test('a', async () => {",
      "  fetchUser.mockResolvedValueOnce('a').mockResolvedValueOnce('b');",
      '  await screen.reload();',
      '  expect(fetchUser).toHaveBeenCalledTimes(2);',
      '});',
    ),
    // dropped by mockReset in afterEach, by resetAllMocks, or by resetMocks
    lines('afterEach(() => fetchUser.mockReset());', "test('a', () => {", "  fetchUser.mockReturnValueOnce('a');", '  expect(fetchUser).not.toHaveBeenCalled();', '});'),
    lines('afterEach(() => { jest.resetAllMocks(); });', "test('a', () => {", "  fetchUser.mockReturnValueOnce('a');", '  expect(fetchUser).not.toHaveBeenCalled();', '});'),
    {
      code: lines("test('a', () => {", "  fetchUser.mockReturnValueOnce('a');", '  expect(fetchUser).not.toHaveBeenCalled();', '});'),
      settings: { flakeguard: { jest: { resetMocks: true } } },
    },
    // a spy's once-values go with mockRestore
    lines("test('a', () => {", "  const s = jest.spyOn(api, 'load').mockReturnValueOnce(1);", '  expect(s).not.toHaveBeenCalled();', '  s.mockRestore();', '});'),
    // queued in a loop: not countable
    lines('const load = jest.fn();', "test('a', () => {", '  for (const v of [1, 2]) load.mockReturnValueOnce(v);', '  load();', '});'),
  ],
  invalid: [
    {
      code: withNext(lines('const fetchUser = jest.fn();', "test('a', () => {", "  fetchUser.mockResolvedValueOnce('first').mockResolvedValueOnce('second');", '});')),
      errors: [
        {
          message: excess(2, 'fetchUser', 0, '0 direct calls, and it is passed nowhere'),
          line: 3,
          column: 13,
          suggestions: [
            {
              desc: 'Add afterEach(() => fetchUser.mockReset())',
              output: withNext(
                lines(
                  'const fetchUser = jest.fn();',
                  'afterEach(() => fetchUser.mockReset());',
                  "test('a', () => {",
                  "  fetchUser.mockResolvedValueOnce('first').mockResolvedValueOnce('second');",
                  '});',
                ),
              ),
            },
          ],
        },
      ],
    },
    {
      // the second value is the one left over: reported where it is queued
      code: withNext(
        lines(
          'const load = jest.fn();',
          "describe('d', () => {",
          "  it('a', () => {",
          '    load.mockReturnValueOnce(1);',
          '    load.mockReturnValueOnce(2);',
          '    load();',
          '  });',
          '});',
        ),
      ),
      errors: [
        {
          message: excess(2, 'load', 1, '1 direct call, and it is passed nowhere'),
          line: 5,
          column: 10,
          suggestions: [
            {
              desc: 'Add afterEach(() => load.mockReset())',
              output: withNext(
                lines(
                  'const load = jest.fn();',
                  "describe('d', () => {",
                  '  afterEach(() => load.mockReset());',
                  "  it('a', () => {",
                  '    load.mockReturnValueOnce(1);',
                  '    load.mockReturnValueOnce(2);',
                  '    load();',
                  '  });',
                  '});',
                ),
              ),
            },
          ],
        },
      ],
    },
    {
      // asserted call count bounds it even when the code under test calls it
      code: withNext(
        lines(
          "test('a', async () => {",
          "  jest.mocked(fetchUser).mockResolvedValueOnce('a').mockResolvedValueOnce('b');",
          '  await view.load();',
          '  expect(fetchUser).toHaveBeenCalledTimes(1);',
          '});',
        ),
      ),
      errors: [{ message: excess(2, 'fetchUser', 1, 'toHaveBeenCalledTimes(1)'), line: 2, column: 53, suggestions: SOME }],
    },
    {
      // a spy not restored keeps its queue; restoreAllMocks elsewhere (another describe) does not apply
      code: withNext(
        lines(
          "describe('x', () => { afterEach(() => jest.restoreAllMocks()); });",
          "test('a', () => {",
          "  jest.spyOn(api, 'load').mockReturnValueOnce(1);",
          '  expect(api.load).not.toHaveBeenCalled();',
          '});',
        ),
      ),
      errors: [{ message: excess(1, 'api.load', 0, 'not.toHaveBeenCalled()'), line: 3, column: 27, suggestions: SOME }],
    },
  ],
});
