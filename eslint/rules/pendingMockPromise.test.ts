import { RuleTester } from 'eslint';
import { rule } from './pendingMockPromise';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
/** RuleTester checks a count of suggestions too (ESLint 9); its types only know the array form. */
const SOME = 1 as unknown as RuleTester.SuggestionOutput[];
const lines = (...text: string[]): string => text.join('\n');
const mock = (name: string) => `${name}() is a mock that returns a promise, and this test neither awaits nor returns it: what follows it runs during a later test`;
const api = (name: string) => `${name}() returns a promise that this test neither awaits nor returns: what follows it runs during a later test`;

tester.run('pending-mock-promise', rule, {
  valid: [
    // awaited, returned, voided on purpose, kept, or asserted with .resolves (eslint-plugin-jest's valid-expect)
    lines('const save = jest.fn().mockResolvedValue(1);', "test('a', async () => { await save(); });"),
    lines('const save = jest.fn(async () => 1);', "test('a', () => save());"),
    lines('const save = jest.fn(async () => 1);', "test('a', () => { return save().then(check); });"),
    lines('const save = jest.fn(async () => 1);', "test('a', () => { void save(); });"),
    lines('const save = jest.fn(async () => 1);', "test('a', async () => { const p = save(); await p; });"),
    lines('const save = jest.fn(async () => 1);', "test('a', () => expect(save()).resolves.toBe(1));"),
    // a done callback settles the test
    lines('const save = jest.fn(async () => 1);', "test('a', (done) => { save().then(() => done()); });"),
    // a synchronous mock
    lines('const save = jest.fn(() => 1);', "test('a', () => { save(); });"),
    // called in a callback the test hands over: not the test's statement
    lines('const save = jest.fn(async () => 1);', "test('a', async () => { await act(async () => { await save(); }); });"),
    // module level and beforeAll are the file's
    lines('const save = jest.fn(async () => 1);', 'save();', 'beforeAll(() => { save(); });', "test('a', () => {});"),
    // a fetch the file declares itself
    lines('function fetch() { return 1; }', "test('a', () => { fetch('/x'); });"),
    // supertest awaited
    lines("import request from 'supertest';", "test('a', async () => { await request(app).get('/').expect(200); });"),
  ],
  invalid: [
    {
      code: lines('const save = jest.fn().mockResolvedValue(1);', "test('a', () => {", '  save({ id: 1 });', '});'),
      errors: [
        {
          message: mock('save'),
          line: 3,
          column: 3,
          suggestions: [{ desc: 'Await it', output: lines('const save = jest.fn().mockResolvedValue(1);', "test('a', async () => {", '  await save({ id: 1 });', '});') }],
        },
      ],
    },
    {
      // a spy given an async implementation, called through its object; in a beforeEach; in a nested block
      code: lines(
        "jest.spyOn(api, 'load').mockImplementation(() => new Promise((r) => setTimeout(r, 5)));",
        'beforeEach(function () {',
        '  if (ready) {',
        '    api.load().then(render);',
        '  }',
        '});',
      ),
      errors: [
        {
          message: mock('api.load'),
          line: 4,
          column: 5,
          suggestions: [
            {
              desc: 'Await it',
              output: lines(
                "jest.spyOn(api, 'load').mockImplementation(() => new Promise((r) => setTimeout(r, 5)));",
                'beforeEach(async function () {',
                '  if (ready) {',
                '    await api.load().then(render);',
                '  }',
                '});',
              ),
            },
          ],
        },
      ],
    },
    {
      // a jest.mock factory's async mocks, by the names the file imports them under
      code: lines(
        "import { save, load } from './store';",
        "import * as api from './api';",
        "const { send } = require('./mail');",
        "jest.mock('./store', () => ({ save: jest.fn().mockResolvedValue(1), load: jest.fn(() => 1) }));",
        "jest.mock('./api', () => { return { get: jest.fn(async () => 1) }; });",
        "jest.mock('./mail', () => ({ send: jest.fn().mockImplementation(() => Promise.resolve()) }));",
        "test('a', () => {",
        '  save();',
        '  load();',
        '  api.get();',
        '  send();',
        '});',
      ),
      errors: [
        { message: mock('save'), line: 8, column: 3, suggestions: SOME },
        { message: mock('api.get'), line: 10, column: 3, suggestions: SOME },
        { message: mock('send'), line: 11, column: 3, suggestions: SOME },
      ],
    },
    {
      // known async APIs: fs/promises, timers/promises, fs.promises, fetch, a supertest chain
      code: lines(
        "import { writeFile } from 'node:fs/promises';",
        "import * as timers from 'timers/promises';",
        "const fs = require('fs');",
        "const request = require('supertest');",
        "it('a', async () => {",
        "  writeFile('/x', 'y');",
        '  timers.setTimeout(5);',
        "  fs.promises.rm('/x');",
        "  fetch('/api');",
        "  request(app).post('/users').send({}).expect(201);",
        '});',
      ),
      errors: [
        { message: api('writeFile'), line: 6, column: 3, suggestions: SOME },
        { message: api('timers.setTimeout'), line: 7, column: 3, suggestions: SOME },
        { message: api('fs.promises.rm'), line: 8, column: 3, suggestions: SOME },
        { message: api('fetch'), line: 9, column: 3, suggestions: SOME },
        {
          message: 'this supertest request is neither awaited nor returned: the test ends before the request does, and its assertions never count',
          line: 10,
          column: 3,
          suggestions: SOME,
        },
      ],
    },
  ],
});
