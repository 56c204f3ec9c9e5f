import { RuleTester } from 'eslint';
import { rule } from './serialMarker';

const tester = new RuleTester({ languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } });
/** RuleTester checks a count of suggestions too (ESLint 9); its types only know the array form. */
const SOME = 1 as unknown as RuleTester.SuggestionOutput[];
const lines = (...text: string[]): string => text.join('\n');
const port = (n: number) =>
  `port ${n} is fixed: files listening on it collide when Jest runs them in parallel. Add @serial port-${n} (or @serial) to the file's leading docblock, or listen on port 0`;
const tmp = (path: string, resource: string) =>
  `${path} is a fixed path in the OS temp dir, shared by every file that uses it. Add @serial ${resource} (or @serial) to the file's leading docblock, or make a private one with fs.mkdtemp`;
const db = (name: string) =>
  `process.env.${name} names one database for every test file: files using it collide when Jest runs them in parallel. Add @serial db (or @serial) to the file's leading docblock`;

tester.run('serial-marker', rule, {
  valid: [
    // marked, either way
    lines('/** @serial */', 'beforeAll(() => server.listen(4100));'),
    lines('/**', ' * Talks to the test database.', ' * @serial db port-4100', ' */', 'beforeAll(() => server.listen(4100));', 'const url = process.env.DATABASE_URL;'),
    // ephemeral port, a port from a variable, supertest's own
    lines('beforeAll(() => server.listen(0));', 'beforeAll(() => server.listen(port));', "test('a', () => request(app).get('/'));"),
    // a private temp dir, or a path made unique per run
    lines(
      "const fs = require('fs');",
      "const os = require('os');",
      "const path = require('path');",
      "const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-'));",
      'const mine = path.join(os.tmpdir(), `cache-${process.pid}`);',
    ),
    // a '/tmp/…' string that never reaches the file system; a database URL written, not used
    lines("test('a', () => { expect(normalize('/tmp/a/../b')).toBe('/tmp/b'); });", "test('b', () => { process.env.DATABASE_URL = 'x'; });"),
  ],
  invalid: [
    {
      code: lines(
        "const http = require('http');",
        '',
        'const PORT = 4100;',
        'let server;',
        'beforeAll(() => { server = http.createServer(app).listen(PORT); });',
        'afterAll(() => server.close());',
      ),
      errors: [
        {
          message: port(4100),
          line: 5,
          column: 58,
          suggestions: [
            {
              desc: 'Add @serial port-4100 to the leading docblock',
              output: lines(
                '/** @serial port-4100 */',
                "const http = require('http');",
                '',
                'const PORT = 4100;',
                'let server;',
                'beforeAll(() => { server = http.createServer(app).listen(PORT); });',
                'afterAll(() => server.close());',
              ),
            },
          ],
        },
      ],
    },
    {
      // into the docblock that already carries pragmas; { port } objects; each resource once
      code: lines('/**', ' * @jest-environment node', ' */', "app.listen({ port: 3000, host: '127.0.0.1' });", 'app.listen(3000);'),
      errors: [
        {
          message: port(3000),
          line: 4,
          column: 12,
          suggestions: [
            {
              desc: 'Add @serial port-3000 to the leading docblock',
              output: lines('/**', ' * @jest-environment node', ' * @serial port-3000', ' */', "app.listen({ port: 3000, host: '127.0.0.1' });", 'app.listen(3000);'),
            },
          ],
        },
      ],
    },
    {
      code: lines(
        "import os from 'os';",
        "import path from 'path';",
        "import fs from 'fs';",
        "const CACHE = path.join(os.tmpdir(), 'my-app', 'cache.json');",
        "test('a', () => {",
        "  fs.writeFileSync('/tmp/report.txt', 'x');",
        '  const url = process.env.TEST_DATABASE_URL;',
        '  const file = `${os.tmpdir()}/lock`;',
        '});',
      ),
      errors: [
        { message: tmp('<tmpdir>/my-app/cache.json', 'tmp/my-app'), line: 4, column: 15, suggestions: SOME },
        { message: tmp('<tmpdir>/report.txt', 'tmp/report.txt'), line: 6, column: 20, suggestions: SOME },
        { message: db('TEST_DATABASE_URL'), line: 7, column: 15, suggestions: SOME },
        { message: tmp('<tmpdir>/lock', 'tmp/lock'), line: 8, column: 16, suggestions: SOME },
      ],
    },
    {
      // a shebang leaves no room for a docblock: no suggestion
      code: lines('#!/usr/bin/env node', 'server.listen(8080);'),
      errors: [{ message: port(8080), line: 2, column: 15, suggestions: [] }],
    },
  ],
});
