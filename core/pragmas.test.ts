import * as docblock from 'jest-docblock';
import { editDistance, parsePragmas } from './pragmas';

describe('parsePragmas', () => {
  test('no docblock: parallel lane, nothing to say', () => {
    expect(parsePragmas("test('x', () => {});\n", 'a.test.js', docblock)).toEqual({ spec: { lane: 'parallel' }, allow: [], warnings: [] });
  });

  test('bare @serial: the exclusive lane (jest-docblock parses it to an empty string)', () => {
    expect(parsePragmas('/** @serial */\ntest()', 'a.test.js', docblock).spec).toEqual({ lane: 'serial' });
  });

  test('@serial with resources: a resource group, names deduplicated, commas allowed', () => {
    const source = '/**\n * Uses the database.\n * @serial db, port-4100 db\n */\n';
    expect(parsePragmas(source, 'a.test.js', docblock).spec).toEqual({ lane: 'resources', resources: ['db', 'port-4100'] });
  });

  test('repeated @serial tags are united', () => {
    const source = '/**\n * @serial db\n * @serial cache\n */\n';
    expect(parsePragmas(source, 'a.test.js', docblock).spec).toEqual({ lane: 'resources', resources: ['db', 'cache'] });
  });

  test('an invalid resource name is dropped with a warning naming file and line', () => {
    const result = parsePragmas('/**\n * @serial db $HOME\n */\n', 'test/a.test.js', docblock);
    expect(result.spec).toEqual({ lane: 'resources', resources: ['db'] });
    expect(result.warnings).toEqual([{ file: 'test/a.test.js', line: 2, message: expect.stringContaining('invalid resource name "$HOME"') }]);
  });

  test('only invalid names leave a plain @serial', () => {
    expect(parsePragmas('/** @serial ??? */', 'a.test.js', docblock).spec).toEqual({ lane: 'serial' });
  });

  test.each([
    ['@seriall', 'seriall', 'serial'],
    ['@Serial', 'Serial', 'serial'],
    ['@flakey', 'flakey', 'flaky'],
    ['@flakeguard-alow unused-mock-once', 'flakeguard-alow', 'flakeguard-allow'],
  ])('a near miss %s gets a "did you mean" warning', (tag, key, known) => {
    const result = parsePragmas(`/**\n *\n * ${tag}\n */\n`, 'a.test.js', docblock);
    expect(result.spec).toEqual({ lane: 'parallel' });
    expect(result.warnings).toEqual([{ file: 'a.test.js', line: 3, message: `unknown pragma @${key}: did you mean @${known}? It is ignored` }]);
  });

  test("other tools' pragmas pass silently", () => {
    const result = parsePragmas('/**\n * @jest-environment jsdom\n * @format\n * @license MIT\n */\n', 'a.test.js', docblock);
    expect(result.warnings).toEqual([]);
  });

  test('@serial in a comment that does not start the file is ignored, with a warning', () => {
    const result = parsePragmas("'use strict';\n/**\n * @serial\n */\n", 'a.test.js', docblock);
    expect(result.spec).toEqual({ lane: 'parallel' });
    expect(result.warnings).toEqual([{ file: 'a.test.js', line: 3, message: expect.stringContaining('must be in a /** … */ comment that starts the file') }]);
  });

  test.each([
    ["after 'use strict'", "'use strict';\n/** @serial */\ntest('x', () => {});\n", 2],
    ['after a shebang', '#!/usr/bin/env node\n/** @serial db */\n', 2],
    ['after a // line', '// Copyright 2026\n/** @serial */\n', 2],
    ['after a license block', '/* Copyright 2026, MIT */\n/** @serial */\n', 2],
    ['after a license docblock', '/**\n * @license MIT\n */\n\n/**\n * @serial db\n */\n', 6],
    ['in a // comment', "// @serial\ntest('x', () => {});\n", 1],
    ['in a // comment after code', "const db = require('./db');\n\n// @serial db\n", 3],
  ])('a one-line or // pragma %s is ignored, with a warning naming its line', (_where, source, line) => {
    const result = parsePragmas(source, 'a.test.js', docblock);
    expect(result.spec).toEqual({ lane: 'parallel' });
    expect(result.warnings).toEqual([{ file: 'a.test.js', line, message: '@serial is ignored: pragmas must be in a /** … */ comment that starts the file' }]);
  });

  test('a stray @flaky is named as such', () => {
    const result = parsePragmas("'use strict';\n/** @flaky https://example.test/1 */\n", 'a.test.js', docblock);
    expect(result.flaky).toBeUndefined();
    expect(result.warnings).toEqual([{ file: 'a.test.js', line: 2, message: expect.stringMatching(/^@flaky is ignored/) }]);
  });

  test('@serial in the leading comment, in prose, or in a string is no stray pragma', () => {
    expect(parsePragmas('/** @serial */\n// runs alone\n', 'a.test.js', docblock).warnings).toEqual([]);
    expect(parsePragmas('/* @serial db */\n', 'a.test.js', docblock)).toMatchObject({ spec: { lane: 'resources', resources: ['db'] }, warnings: [] });
    expect(parsePragmas("// not marked @serial on purpose\ntest('@serial in a title', () => {});\n", 'a.test.js', docblock).warnings).toEqual([]);
    expect(parsePragmas("const source = '/** @serial */\\n';\nconst other = `x // @serial`;\n", 'a.test.js', docblock).warnings).toEqual([]);
  });

  test('@flaky and @flakeguard-allow are read for the quarantine and the environment', () => {
    const result = parsePragmas('/**\n * @flaky https://example.test/issues/12\n * @flakeguard-allow leaked-env pending-timer\n */\n', 'a.test.js', docblock);
    expect(result.flaky).toBe('https://example.test/issues/12');
    expect(result.allow).toEqual(['leaked-env', 'pending-timer']);
  });
});

test('editDistance', () => {
  expect(editDistance('serial', 'serial')).toBe(0);
  expect(editDistance('seriall', 'serial')).toBe(1);
  expect(editDistance('sreial', 'serial')).toBe(2);
  expect(editDistance('', 'abc')).toBe(3);
});
