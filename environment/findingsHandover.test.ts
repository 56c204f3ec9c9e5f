// Handing a file's findings over at teardown: to the findings channel when a reporter named a directory, else to stderr.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding } from '../core/findings';
import { FINDINGS_DIR_ENV, takeFindings } from '../io/findingsChannel';
import { handOverFindings } from './findingsHandover';

const rootDir = path.join(os.tmpdir(), 'handover-root');
const testPath = path.join(rootDir, 'src', 'api.test.ts');
const finding = (more: Partial<Finding> = {}): Finding => ({
  check: 'leaked-env',
  project: null,
  file: testPath,
  titles: ['api', 'sets'],
  message: 'process.env.API_URL set and not restored',
  at: 'src/api.test.ts:4:5',
  severity: 'warn',
  tests: 1,
  ...more,
});

let stderr: string[];
let savedDir: string | undefined;
beforeEach(() => {
  stderr = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
  savedDir = process.env[FINDINGS_DIR_ENV];
  delete process.env[FINDINGS_DIR_ENV];
});
afterEach(() => {
  jest.restoreAllMocks();
  if (savedDir === undefined) delete process.env[FINDINGS_DIR_ENV];
  else process.env[FINDINGS_DIR_ENV] = savedDir;
});

test('without a reporter’s directory: one line per finding on stderr, control characters escaped', () => {
  handOverFindings([finding(), finding({ titles: [], at: null, check: 'worker-state', message: 'cwd\nchanged' })], testPath, rootDir);
  expect(stderr).toEqual([
    'flakeguard: src/api.test.ts › api › sets: leaked-env process.env.API_URL set and not restored (src/api.test.ts:4:5)\n',
    'flakeguard: src/api.test.ts: worker-state cwd\\nchanged\n',
  ]);
});

test('with one: a findings file the reporter takes back, nothing on stderr; a clean file writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handover-spec-'));
  try {
    process.env[FINDINGS_DIR_ENV] = dir;
    handOverFindings([], testPath, rootDir);
    expect(fs.readdirSync(dir)).toEqual([]);
    handOverFindings([finding()], testPath, rootDir);
    expect(stderr).toEqual([]);
    expect(takeFindings(dir, testPath)).toEqual([finding()]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory that cannot be written: one line naming it, and no throw', () => {
  const notADir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'handover-spec-')), 'file');
  fs.writeFileSync(notADir, '');
  process.env[FINDINGS_DIR_ENV] = notADir;
  try {
    expect(() => handOverFindings([finding()], testPath, rootDir)).not.toThrow();
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(
      new RegExp(`^jest-flakeguard: cannot write findings to ${notADir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+\\); check the directory is writable\n$`),
    );
  } finally {
    fs.rmSync(path.dirname(notADir), { recursive: true, force: true });
  }
});
