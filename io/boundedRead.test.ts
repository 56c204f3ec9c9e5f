import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { readCapped } from './boundedRead';
import { gunzipCapped, parseJson, ReadProblem } from '../core/boundedParse';

const problem = (action: () => unknown): ReadProblem => {
  try {
    action();
  } catch (error) {
    if (error instanceof ReadProblem) return error;
    throw error;
  }
  throw new Error('no ReadProblem');
};

describe('bounded reads', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bounded-read-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file over the cap is refused from its size, without reading it; the message names the cap', () => {
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, 3 * 1024 * 1024);
    expect(problem(() => readCapped(file, 2 * 1024 * 1024)).message).toBe('is 3 MiB, over the 2 MiB a file flakeguard reads may have');
    expect(readCapped(file, 4 * 1024 * 1024)).toHaveLength(3 * 1024 * 1024);
  });

  test('a device that never ends is cut at the cap', () => {
    expect(problem(() => readCapped('/dev/zero', 1024 * 1024)).message).toBe('is over the 1 MiB a file flakeguard reads may have');
  });

  test('missing and directory: the errno code, never a stack', () => {
    expect(problem(() => readCapped(path.join(dir, 'nowhere'))).code).toBe('ENOENT');
    expect(problem(() => readCapped(dir)).message).toBe('is a directory, not a file');
  });

  test('a gzip that inflates past the cap stops there', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(problem(() => gunzipCapped(bomb, 4 * 1024 * 1024)).message).toBe('inflates to over 4 MiB, the cap for a gzipped file flakeguard reads');
    expect(gunzipCapped(bomb, 16 * 1024 * 1024)).toHaveLength(8 * 1024 * 1024);
    expect(problem(() => gunzipCapped(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).message).toMatch(/^corrupt gzip \(/);
  });

  test('invalid JSON never quotes the text (a symlinked file, control bytes for the terminal)', () => {
    for (const text of ['root:x:0:0:root:/root:/bin/bash', '\u001b]0;owned\u0007{', '{"a": tru', '{"a": "unterminated']) {
      const message = problem(() => parseJson(text)).message;
      expect(message).toMatch(/^not valid JSON/);
      expect(message).not.toMatch(/root|owned|\u001b|tru\b/);
    }
  });
});
