import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAX_DOCBLOCK_BYTES, PragmaCache } from './pragmaCache';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-pragma-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a warm cache re-reads no unchanged file, a file with @flaky every time, and a changed one', () => {
  const serial = path.join(dir, 'a.test.js');
  const plain = path.join(dir, 'plain.test.js');
  const flaky = path.join(dir, 'flaky.test.js');
  fs.writeFileSync(serial, '/** @serial db */\ntest("x", () => {});\n');
  fs.writeFileSync(plain, 'test("x", () => {});\n');
  fs.writeFileSync(flaky, '/** @flaky races */\ntest("x", () => {});\n');
  const cacheDir = path.join(dir, 'cache');

  const cold = new PragmaCache(cacheDir);
  expect(cold.get(serial).spec).toEqual({ lane: 'resources', resources: ['db'] });
  expect(cold.get(plain).spec).toEqual({ lane: 'parallel' });
  expect(cold.get(flaky).flaky).toBe('races');
  expect(cold.readCount).toBe(3);
  cold.save();

  const warm = new PragmaCache(cacheDir);
  expect(warm.get(plain).spec).toEqual({ lane: 'parallel' });
  expect(warm.get(serial).spec).toEqual({ lane: 'resources', resources: ['db'] });
  expect(warm.readCount).toBe(0);
  // What could change a run's outcome is never taken from the cache.
  expect(warm.get(flaky).flaky).toBe('races');
  expect(warm.readCount).toBe(1);

  fs.writeFileSync(plain, '/** @serial */\ntest("x", () => {});\n');
  expect(warm.get(plain).spec).toEqual({ lane: 'serial' });
  expect(warm.readCount).toBe(2);
});

const cacheFile = (cacheDir: string) => path.join(cacheDir, 'jest-flakeguard', 'pragmas-v3.json');

test('a planted entry cannot give a file a pragma it lacks: the cache holds lanes only, checked', () => {
  const file = path.join(dir, 'a.test.js');
  fs.writeFileSync(file, 'test("x", () => {});\n');
  const stat = fs.statSync(file);
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(path.dirname(cacheFile(cacheDir)), { recursive: true, mode: 0o700 });
  const planted = { version: 3, parser: 2, files: { [file]: [stat.mtimeMs, stat.size, { spec: { lane: 'parallel' }, allow: [], warnings: [], flaky: 'x' }] } };
  fs.writeFileSync(cacheFile(cacheDir), JSON.stringify(planted), { mode: 0o600 });
  expect(new PragmaCache(cacheDir).get(file).flaky).toBeUndefined();
  // A lane with a resource name no pragma could carry is not believed either.
  fs.writeFileSync(cacheFile(cacheDir), JSON.stringify({ ...planted, files: { [file]: [stat.mtimeMs, stat.size, ['db\n::error::x']] } }), { mode: 0o600 });
  expect(new PragmaCache(cacheDir).get(file).spec).toEqual({ lane: 'parallel' });
});

const posix = typeof process.getuid === 'function' ? test : test.skip;

posix('a cache directory or file others can write is not used, with one warning; the cache is written for this user only', () => {
  const file = path.join(dir, 'a.test.js');
  fs.writeFileSync(file, 'test("x", () => {});\n');
  const cacheDir = path.join(dir, 'shared');
  fs.mkdirSync(path.join(cacheDir, 'jest-flakeguard'), { recursive: true });
  fs.chmodSync(path.join(cacheDir, 'jest-flakeguard'), 0o777);
  const warnings: string[] = [];
  const cache = new PragmaCache(cacheDir, (message) => warnings.push(message));
  cache.get(file);
  cache.save();
  expect(fs.existsSync(cacheFile(cacheDir))).toBe(false);
  expect(warnings).toEqual([expect.stringMatching(/jest-flakeguard can be written by other users: not used/)]);
  new PragmaCache(cacheDir, (message) => warnings.push(message));
  expect(warnings).toHaveLength(1); // once per directory and process

  const world = path.join(dir, 'world');
  fs.mkdirSync(world, { mode: 0o777 });
  fs.chmodSync(world, 0o777);
  new PragmaCache(world, (message) => warnings.push(message));
  expect(warnings[1]).toMatch(/world can be written by every user: not used/);

  const mine = path.join(dir, 'mine');
  const good = new PragmaCache(mine);
  good.get(file);
  good.save();
  expect(fs.statSync(path.join(mine, 'jest-flakeguard')).mode & 0o777).toBe(0o700);
  expect(fs.statSync(cacheFile(mine)).mode & 0o777).toBe(0o600);
  fs.chmodSync(cacheFile(mine), 0o666);
  new PragmaCache(mine, (message) => warnings.push(message));
  expect(warnings[2]).toMatch(/pragmas-v3\.json can be written by other users/);
});

posix('a symlinked cache directory is refused', () => {
  fs.mkdirSync(path.join(dir, 'real'), { mode: 0o700 });
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(cacheDir);
  fs.symlinkSync(path.join(dir, 'real'), path.join(cacheDir, 'jest-flakeguard'));
  const warnings: string[] = [];
  new PragmaCache(cacheDir, (message) => warnings.push(message));
  expect(warnings).toEqual([expect.stringMatching(/is a symbolic link: not used/)]);
});

// Handing a directory to another user takes root (CI and these machines run as root); elsewhere it is skipped.
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0 ? test : test.skip;

asRoot("a cache directory that is another user's is refused", () => {
  const cacheDir = path.join(dir, 'theirs');
  fs.mkdirSync(path.join(cacheDir, 'jest-flakeguard'), { recursive: true, mode: 0o700 });
  fs.chownSync(path.join(cacheDir, 'jest-flakeguard'), 12345, 12345);
  const warnings: string[] = [];
  new PragmaCache(cacheDir, (message) => warnings.push(message));
  expect(warnings).toEqual([expect.stringMatching(/jest-flakeguard belongs to uid 12345, not to you \(uid 0\): not used/)]);
});

test('a docblock running past 1 MiB is one error naming the file, not a stack overflow', () => {
  const file = path.join(dir, 'huge.test.js');
  fs.writeFileSync(file, `/**\n${' * x\n'.repeat(Math.ceil((4 * 1024 * 1024) / 5))} * @serial\n */\ntest("x", () => {});\n`);
  expect(fs.statSync(file).size).toBeGreaterThan(4 * MAX_DOCBLOCK_BYTES);
  expect(() => new PragmaCache(undefined).get(file)).toThrow(`${file}: its leading docblock runs past 1 MiB: too long to read pragmas from (shorten it)`);
});

test('a corrupt cache file is ignored, not fatal', () => {
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(path.join(cacheDir, 'jest-flakeguard'), { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'jest-flakeguard', 'pragmas-v3.json'), '{ torn');
  const file = path.join(dir, 'b.test.js');
  fs.writeFileSync(file, 'test("x", () => {});\n');
  const cache = new PragmaCache(cacheDir);
  expect(cache.get(file).spec).toEqual({ lane: 'parallel' });
  cache.save();
  expect(JSON.parse(fs.readFileSync(path.join(cacheDir, 'jest-flakeguard', 'pragmas-v3.json'), 'utf8')).version).toBe(3);
});

test('a docblock longer than the head that is read first is still read whole', () => {
  const file = path.join(dir, 'long.test.js');
  const license = Array.from({ length: 800 }, (_, i) => ` * license line ${i} ...........`).join('\n');
  fs.writeFileSync(file, `/**\n${license}\n * @serial db\n */\ntest("x", () => {});\n`);
  expect(fs.statSync(file).size).toBeGreaterThan(16 * 1024);
  expect(new PragmaCache(undefined).get(file).spec).toEqual({ lane: 'resources', resources: ['db'] });
});
