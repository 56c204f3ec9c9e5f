// The runner's side of `flakeguard hunt`: a seeded file order, an exact order, and a record per process of the
// files it ran (in band in Jest's process, in the pool one per worker).

import * as fs from 'fs';
import * as path from 'path';
import { seededShuffle, type OrderRequest } from '../core/runOrder';
import { readProcessRecords, writeOrderRequest, FILE_ORDER_ENV } from '../io/runOrderFiles';
import { copyFixture, removeFixture, runJest } from './harness';

describe('runner file order for the hunt', () => {
  let dir: string;
  let files: string[];
  let n = 0;

  beforeAll(() => {
    dir = copyFixture('hunt');
    const tests = path.join(fs.realpathSync(dir), '__tests__');
    files = fs
      .readdirSync(tests)
      .map((name) => path.join(tests, name))
      .sort();
  });
  afterAll(() => removeFixture(dir));

  async function run(request: Omit<OrderRequest, 'schemaVersion' | 'recordDir'>, args: string[]): Promise<Array<{ pid: number; files: string[] }>> {
    const recordDir = path.join(dir, `.order-${++n}`);
    const requestFile = path.join(dir, `.order-${n}.json`);
    writeOrderRequest(requestFile, { schemaVersion: 1, recordDir, ...request });
    const result = await runJest(dir, ['--ci', '--reporters', 'summary', ...args], { [FILE_ORDER_ENV]: requestFile });
    expect(result.stderr).toMatch(/Tests:/);
    return readProcessRecords(recordDir);
  }

  it('runs in band in exactly the order asked, recorded as one process', async () => {
    const exact = [files[3]!, files[0]!, files[7]!];
    const records = await run({ shuffleSeed: null, exact }, ['--runInBand', '--runTestsByPath', ...exact]);
    expect(records).toHaveLength(1);
    expect(records[0]!.files).toEqual(exact);
  });

  // The fixture has no @serial file: in band, the order run is the seed's shuffle of the sorted paths, whatever
  // Jest's own order (its timing cache) was. That the shuffle is repeatable and seed-dependent is core/runOrder's spec.
  it("shuffles by the seed: the order run is the seed's shuffle of the sorted files, another seed's another", async () => {
    const a = await run({ shuffleSeed: 11, exact: null }, ['--runInBand']);
    const c = await run({ shuffleSeed: 12, exact: null }, ['--runInBand']);
    expect(a[0]!.files).toEqual(seededShuffle(files, 11));
    expect(c[0]!.files).toEqual(seededShuffle(files, 12));
    expect(c[0]!.files).not.toEqual(a[0]!.files);
  });

  it('records each worker of the pool apart: every file once, one record per worker process', async () => {
    const records = await run({ shuffleSeed: 5, exact: null }, ['--maxWorkers=2']);
    expect(records.flatMap((record) => record.files).sort()).toEqual(files);
    expect(records.length).toBeGreaterThanOrEqual(1);
    expect(records.length).toBeLessThanOrEqual(2);
    expect(new Set(records.map((record) => record.pid)).size).toBe(records.length);
  });
});
