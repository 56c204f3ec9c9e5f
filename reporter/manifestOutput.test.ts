import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readManifest } from '../io/manifestFile';
import { buildManifest } from '../core/runRecord';
import { ManifestOutput } from './manifestOutput';

const manifest = buildManifest({
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:00:01.000Z',
  jestVersion: '30.0.0',
  shard: null,
  seed: 7,
  interrupted: false,
  otherFailure: false,
  files: [{ project: null, file: 'a.test.ts', durationMs: 3, error: null, tests: [] }],
  notRun: [],
  findings: [],
});

describe('ManifestOutput', () => {
  let dir: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-manifest-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const warnings = (): string[] => stderr.mock.calls.map(([text]) => String(text));

  test('writes the manifest (creating its directory) as the manifest format reads it back', () => {
    const output = new ManifestOutput(path.join(dir, 'out', 'last-run.json'));
    expect(output.write(manifest)).toBe(true);
    expect(readManifest(path.join(dir, 'out', 'last-run.json'))).toMatchObject({ status: 'passed', seed: 7, counts: { passed: 0 } });
    expect(output.warned).toBe(false);
    expect(warnings()).toEqual([]);
  });

  test('an unwritable manifest is one warning per run naming the file, however many writes fail; a new run warns again', () => {
    fs.writeFileSync(path.join(dir, 'out'), 'a file where the directory goes');
    const output = new ManifestOutput(path.join(dir, 'out', 'last-run.json'));
    expect(output.write(manifest)).toBe(false);
    expect(output.write(manifest)).toBe(false);
    output.warnOnce('something else');
    expect(warnings()).toEqual([expect.stringMatching(/^flakeguard: cannot write .*last-run\.json \(.+\); the run's results and exit code are unaffected\n$/)]);
    expect(output.warned).toBe(true);
    output.runStarted();
    expect(output.warned).toBe(false);
    expect(output.write(manifest)).toBe(false);
    expect(warnings()).toHaveLength(2);
  });

  test('shown is the path relative to the cwd', () => {
    expect(new ManifestOutput(path.join(process.cwd(), 'x', 'last-run.json')).shown).toBe('x/last-run.json');
  });
});
