import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { type Finding } from './findings';
import { takeFindings, writeFindings } from '../io/findingsChannel';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-findings-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const finding = (project: string | null, message: string): Finding => ({
  check: 'unrestored-spy',
  project,
  file: '/p/a.test.js',
  titles: ['t'],
  message,
  at: null,
  severity: 'warn',
});

test('the same file run twice in one process (two projects) keeps both writes, each taken by its project', () => {
  writeFindings(dir, '/p/a.test.js', [finding('stable', 'first')]);
  writeFindings(dir, '/p/a.test.js', [finding('flaky', 'second')]);
  writeFindings(dir, '/p/b.test.js', [finding('stable', 'other file')]);
  expect(takeFindings(dir, '/p/a.test.js', 'flaky').map((f) => f.message)).toEqual(['second']);
  expect(takeFindings(dir, '/p/a.test.js', 'stable').map((f) => f.message)).toEqual(['first']);
  expect(takeFindings(dir, '/p/a.test.js', 'stable')).toEqual([]);
  expect(takeFindings(dir, '/p/b.test.js').map((f) => f.message)).toEqual(['other file']);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a torn file is skipped and removed; a missing directory is no findings', () => {
  writeFindings(dir, '/p/a.test.js', [finding(null, 'kept')]);
  const [name] = fs.readdirSync(dir);
  fs.writeFileSync(path.join(dir, name!.replace(/\.json$/, '-torn.json')), '{ torn');
  expect(takeFindings(dir, '/p/a.test.js', null).map((f) => f.message)).toEqual(['kept']);
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(takeFindings(path.join(dir, 'missing'), '/p/a.test.js')).toEqual([]);
});
