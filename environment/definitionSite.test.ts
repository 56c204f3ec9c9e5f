// Where a replaced core-module member is defined: V8's answer, the package a file is in, the import of that package.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { importOf, packageOf } from './definitionSite';

test('V8 names the file a function is defined in; a native function and a non-function have none', () => {
  // Run where the environment runs, outside a test sandbox: the inspector evaluates in the process's main realm.
  const built = path.join(__dirname, '..', 'dist', 'environment', 'definitionSite.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'definition-site-'));
  const script = path.join(dir, 'probe.js');
  fs.writeFileSync(
    script,
    [
      `const { definitionSites } = require(${JSON.stringify(built)});`,
      'function defined() { return 1; }',
      'process.stdout.write(JSON.stringify(definitionSites([defined, Math.max, 42])));',
    ].join('\n'),
  );
  let output: string;
  try {
    output = execFileSync(process.execPath, [script], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const [own, native, none] = JSON.parse(output) as Array<{ file: string; line: number } | null>;
  expect(own).toEqual({ file: script, line: 2, column: expect.any(Number) });
  expect(native).toBeNull();
  expect(none).toBeNull();
});

test('the package of a file under node_modules, scoped or in a pnpm store; none for the user’s file', () => {
  expect(packageOf(path.join('/app', 'node_modules', 'nock', 'lib', 'common.js'))).toBe('nock');
  expect(packageOf('/app/node_modules/.pnpm/nock@13.5.6/node_modules/nock/lib/intercept.js')).toBe('nock');
  expect(packageOf('/app/node_modules/@mswjs/interceptors/lib/index.js')).toBe('@mswjs/interceptors');
  expect(packageOf('/app/test/helpers.js')).toBeNull();
});

test('the import of a package, in every way a test file writes one, and not of another package', () => {
  const lines = [
    "import nock from 'nock'",
    'import * as nock from "nock";',
    "import 'nock/recorder'",
    "const nock = require('nock')",
    "const { back } = jest.requireActual('nock')",
    "await import('nock')",
  ];
  for (const line of lines) expect(importOf('nock').test(line)).toBe(true);
  expect(importOf('nock').test("import knock from 'knock'")).toBe(false);
  expect(importOf('nock').test("import x from 'nock-back'")).toBe(false);
  expect(importOf('@mswjs/interceptors').test("import { X } from '@mswjs/interceptors/ClientRequest'")).toBe(true);
});
