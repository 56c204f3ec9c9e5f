import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { testName, type HuntReport } from './huntReport';
import { readHuntReport, writeHuntReport } from '../io/huntReportFile';

const report: HuntReport = {
  schemaVersion: 1,
  tool: 'jest-flakeguard',
  kind: 'hunt',
  startedAt: '2026-11-28T10:00:00.000Z',
  finishedAt: '2026-11-28T10:01:00.000Z',
  options: { runs: 20, durationMs: null, shuffle: true, seed: -5, stress: 'cpu', changed: null, confidence: 0.95, rate: 0.2 },
  stopReason: 'settled',
  runs: [{ run: 1, seed: 123, shuffled: true, stressed: false, tests: 2, failed: [{ file: 'a.test.js', titles: ['victim'] }] }],
  probes: 4,
  tests: [
    {
      file: 'a.test.js',
      titles: ['victim'],
      runs: 1,
      failures: 1,
      calm: { runs: 1, failures: 1 },
      stressed: { runs: 0, failures: 0 },
      flakeRate: 1,
      interval: { low: 0.2, high: 1 },
      class: 'order-dependent',
      role: 'victim',
      culprits: [{ file: 'b.test.js', titles: ['polluter'] }],
      settled: true,
      firstFailedRun: 1,
      probes: 4,
      evidence: ['alone (seed 123): passed'],
    },
  ],
  proven: [
    {
      check: 'unrestored-spy',
      message: 'spy on x.y was not restored',
      at: 'a.test.js:3:1',
      leaker: { file: 'a.test.js', titles: ['p'] },
      affected: { file: 'a.test.js', titles: ['victim'] },
      effect: 'fails',
    },
  ],
};

describe('hunt report', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-hunt-'));
    file = path.join(dir, '.flakeguard', 'hunt.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips', () => {
    writeHuntReport(file, report);
    expect(readHuntReport(file)).toEqual(report);
  });

  it.each([
    ['another schema version', { ...report, schemaVersion: 2 }, 'not a jest-flakeguard hunt report (schemaVersion 1)'],
    ['another tool', { ...report, tool: 'other' }, 'not a jest-flakeguard hunt report'],
    ['an unknown class', { ...report, tests: [{ ...report.tests[0], class: 'weird' }] }, 'tests[0].class must be one of clean, order-dependent'],
    ['more failures than runs', { ...report, tests: [{ ...report.tests[0], calm: { runs: 1, failures: 2 } }] }, 'tests[0].calm.failures must not exceed runs'],
    ['a seed outside 32 bits', { ...report, runs: [{ ...report.runs[0], seed: 2 ** 40 }] }, 'runs[0].seed must be a 32-bit integer'],
    [
      'a title path that is not strings',
      { ...report, proven: [{ ...report.proven[0], leaker: { file: 'a', titles: [1] } }] },
      'proven[0].leaker.titles must be a non-empty array',
    ],
  ])('rejects %s with one line naming the file', (_what, bad, message) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(bad));
    expect(() => readHuntReport(file)).toThrow(`${file}: `);
    expect(() => readHuntReport(file)).toThrow(message);
  });

  it('says when there is no report, or no JSON', () => {
    expect(() => readHuntReport(file)).toThrow(/no hunt report here: run `flakeguard hunt` first/);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{');
    expect(() => readHuntReport(file)).toThrow(/not valid JSON/);
  });

  it('names a test by its file and title path', () => {
    expect(testName({ file: 'a.test.js', titles: ['s', 't'] })).toBe('a.test.js > s > t');
  });
});
