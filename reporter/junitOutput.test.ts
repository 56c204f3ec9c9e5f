import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { XMLParser } from 'fast-xml-parser';
import type { RunRecord } from '../core/runRecord';
import { writeJunit } from './junitOutput';

const run: RunRecord = {
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  jestVersion: '30.0.0',
  shard: null,
  seed: null,
  interrupted: false,
  otherFailure: false,
  files: [
    {
      project: null,
      file: 'a.test.ts',
      durationMs: 5,
      error: null,
      tests: [
        { titles: ['s', 'ok'], status: 'passed', attempts: 1, durationMs: 1, failures: [], earlierFailures: [], line: null, column: null },
        { titles: ['s', 'bad'], status: 'failed', attempts: 1, durationMs: 1, failures: ['Error: no'], earlierFailures: [], line: 3, column: 5 },
      ],
    },
  ],
  notRun: [],
  findings: [],
};

describe('writeJunit', () => {
  let dir: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-junit-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const warnings = (): string[] => stderr.mock.calls.map(([text]) => String(text));

  test("writes the run's JUnit report (directory created) with one testcase per test", () => {
    const file = path.join(dir, 'reports', 'junit.xml');
    expect(writeJunit(run, file, path.join(dir, '.flakeguard'), false)).toBe(true);
    const xml = new XMLParser({ ignoreAttributes: false }).parse(fs.readFileSync(file, 'utf8')) as { testsuites: Record<string, unknown> };
    expect(xml.testsuites).toMatchObject({ '@_name': 'jest', '@_tests': '2', '@_failures': '1' });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['junit.xml']);
  });

  test('an unwritable report is a one-line warning naming it', () => {
    fs.writeFileSync(path.join(dir, 'reports'), '');
    expect(writeJunit(run, path.join(dir, 'reports', 'junit.xml'), path.join(dir, '.flakeguard'), false)).toBe(false);
    expect(warnings()).toEqual([expect.stringMatching(/^flakeguard: cannot write the JUnit report .*reports\/junit\.xml \(.+\); the run's results/)]);
  });

  test('beside a manifest that already warned (under outputDir) it fails silently; outside outputDir it still warns', () => {
    const outputDir = path.join(dir, '.flakeguard');
    fs.writeFileSync(outputDir, '');
    expect(writeJunit(run, path.join(outputDir, 'junit.xml'), outputDir, true)).toBe(false);
    expect(warnings()).toEqual([]);
    fs.writeFileSync(path.join(dir, 'reports'), '');
    expect(writeJunit(run, path.join(dir, 'reports', 'junit.xml'), outputDir, true)).toBe(false);
    expect(warnings()).toHaveLength(1);
  });
});
