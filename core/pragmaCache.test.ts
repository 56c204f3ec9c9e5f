import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PragmaCache } from './pragmaCache';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-pragma-cache-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a warm cache re-reads no unchanged file, and re-reads a changed one', () => {
  const file = path.join(dir, 'a.test.js');
  fs.writeFileSync(file, '/** @serial db */\ntest("x", () => {});\n');
  const cacheDir = path.join(dir, 'cache');

  const cold = new PragmaCache(cacheDir);
  expect(cold.get(file).spec).toEqual({ lane: 'resources', resources: ['db'] });
  expect(cold.readCount).toBe(1);
  cold.save();

  const warm = new PragmaCache(cacheDir);
  expect(warm.get(file).spec).toEqual({ lane: 'resources', resources: ['db'] });
  expect(warm.readCount).toBe(0);

  fs.writeFileSync(file, '/** @serial */\ntest("x", () => {});\n');
  expect(warm.get(file).spec).toEqual({ lane: 'serial' });
  expect(warm.readCount).toBe(1);
});

test('a corrupt cache file is ignored, not fatal', () => {
  const cacheDir = path.join(dir, 'cache');
  fs.mkdirSync(path.join(cacheDir, 'jest-flakeguard'), { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'jest-flakeguard', 'pragmas-v2.json'), '{ torn');
  const file = path.join(dir, 'b.test.js');
  fs.writeFileSync(file, 'test("x", () => {});\n');
  const cache = new PragmaCache(cacheDir);
  expect(cache.get(file).spec).toEqual({ lane: 'parallel' });
  cache.save();
  expect(JSON.parse(fs.readFileSync(path.join(cacheDir, 'jest-flakeguard', 'pragmas-v2.json'), 'utf8')).version).toBe(2);
});

test('a docblock longer than the head that is read first is still read whole', () => {
  const file = path.join(dir, 'long.test.js');
  const license = Array.from({ length: 800 }, (_, i) => ` * license line ${i} ...........`).join('\n');
  fs.writeFileSync(file, `/**\n${license}\n * @serial db\n */\ntest("x", () => {});\n`);
  expect(fs.statSync(file).size).toBeGreaterThan(16 * 1024);
  expect(new PragmaCache(undefined).get(file).spec).toEqual({ lane: 'resources', resources: ['db'] });
});
