import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { inExactOrder, seededShuffle } from './runOrder';
import { ProcessRecorder, readOrderRequest, readProcessRecords, writeOrderRequest } from '../io/runOrderFiles';

describe('seededShuffle', () => {
  const items = Array.from({ length: 20 }, (_, i) => i);
  it('is a permutation decided by the seed alone', () => {
    const a = seededShuffle(items, 7);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(seededShuffle(items, 7)).toEqual(a);
    expect(seededShuffle(items, 8)).not.toEqual(a);
    expect(a).not.toEqual(items);
  });
  it('leaves its input alone', () => {
    const copy = [...items];
    seededShuffle(items, 1);
    expect(items).toEqual(copy);
  });
});

describe('inExactOrder', () => {
  it('puts the named files first in the named order, then the rest as they were', () => {
    expect(inExactOrder(['/a', '/b', '/c', '/d'], ['/c', '/a'], (f) => f)).toEqual(['/c', '/a', '/b', '/d']);
  });
});

describe('request and records', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-order-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips a request and rejects a foreign one naming the file', () => {
    const file = path.join(dir, 'order.json');
    writeOrderRequest(file, { schemaVersion: 1, shuffleSeed: 5, exact: null, recordDir: dir });
    expect(readOrderRequest(file)).toEqual({ schemaVersion: 1, shuffleSeed: 5, exact: null, recordDir: dir });
    fs.writeFileSync(file, JSON.stringify({ schemaVersion: 1, shuffleSeed: 'x', exact: null, recordDir: null }));
    expect(() => readOrderRequest(file)).toThrow(`${file}: not a jest-flakeguard file order request`);
    fs.writeFileSync(file, '{');
    expect(() => readOrderRequest(file)).toThrow(/cannot read the file order request/);
  });

  it('keeps one record per process, in start order, and skips torn files', () => {
    const one = new ProcessRecorder(dir, 101);
    const two = new ProcessRecorder(dir, 102);
    one.started('/x.test.js');
    two.started('/y.test.js');
    one.started('/z.test.js');
    fs.writeFileSync(path.join(dir, 'order-103.json'), '{"schemaVer');
    expect(readProcessRecords(dir)).toEqual([
      { schemaVersion: 1, pid: 101, files: ['/x.test.js', '/z.test.js'] },
      { schemaVersion: 1, pid: 102, files: ['/y.test.js'] },
    ]);
    expect(readProcessRecords(path.join(dir, 'missing'))).toEqual([]);
  });
});
