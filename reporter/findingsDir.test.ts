import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Finding } from '../core/findings';
import { FINDINGS_DIR_ENV, writeFindings } from '../io/findingsChannel';
import { FindingsDir } from './findingsDir';

const finding = (file: string, project: string | null): Finding => ({
  check: 'unrestored-spy',
  project,
  file,
  titles: ['t'],
  message: 'spy on api.fetch was not restored',
  at: null,
  severity: 'warn',
});

describe('FindingsDir', () => {
  let tmp: string;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fg-findingsdir-'));
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('makes a run-scoped directory in the temp folder and names it in the environment the workers inherit', () => {
    const env: NodeJS.ProcessEnv = {};
    const findings = new FindingsDir(env, tmp);
    expect(findings.dir).not.toBeNull();
    expect(path.dirname(findings.dir!)).toBe(tmp);
    expect(env[FINDINGS_DIR_ENV]).toBe(findings.dir);
    expect(fs.statSync(findings.dir!).isDirectory()).toBe(true);
  });

  test("takes one file's findings for one project, leaving the others; the run's end removes the directory, the next run's start remakes it", () => {
    const findings = new FindingsDir({}, tmp);
    const dir = findings.dir!;
    writeFindings(dir, '/p/a.test.ts', [finding('/p/a.test.ts', 'one')]);
    writeFindings(dir, '/p/a.test.ts', [finding('/p/a.test.ts', 'two')]);
    writeFindings(dir, '/p/b.test.ts', [finding('/p/b.test.ts', 'one')]);
    expect(findings.take('/p/a.test.ts', 'one').map((f) => [f.file, f.project])).toEqual([['/p/a.test.ts', 'one']]);
    expect(findings.take('/p/a.test.ts', 'one')).toEqual([]);
    expect(fs.readdirSync(dir)).toHaveLength(2);
    findings.runEnded();
    expect(fs.existsSync(dir)).toBe(false);
    expect(findings.take('/p/b.test.ts', 'one')).toEqual([]);
    findings.runStarted();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a foreign findings file is dropped with a one-line warning naming it', () => {
    const findings = new FindingsDir({}, tmp);
    writeFindings(findings.dir!, '/p/a.test.ts', [finding('/p/a.test.ts', null)]);
    const [name] = fs.readdirSync(findings.dir!);
    fs.writeFileSync(path.join(findings.dir!, name!), JSON.stringify({ schemaVersion: 99 }));
    expect(findings.take('/p/a.test.ts', null)).toEqual([]);
    const warnings = stderr.mock.calls.map(([text]) => String(text));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^flakeguard: .*findings channel/);
    expect(warnings[0]).toContain(name);
  });

  test('a temp folder where no directory can be made: a one-line warning, no directory, nothing in the environment, no findings', () => {
    const notADir = path.join(tmp, 'file');
    fs.writeFileSync(notADir, '');
    const env: NodeJS.ProcessEnv = {};
    const findings = new FindingsDir(env, notADir);
    expect(findings.dir).toBeNull();
    expect(env[FINDINGS_DIR_ENV]).toBeUndefined();
    expect(findings.take('/p/a.test.ts', null)).toEqual([]);
    findings.runStarted();
    findings.runEnded();
    const warnings = stderr.mock.calls.map(([text]) => String(text));
    expect(warnings).toEqual([expect.stringMatching(/^flakeguard: no directory for hygiene findings \(.+\); hygiene findings are not reported this run\n$/)]);
  });
});
