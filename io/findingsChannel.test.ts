import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createFindingsDir } from './findingsChannel';

describe('createFindingsDir', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'findings-dirs-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("makes this run's directory, named by our pid, and sweeps only a dead process's ones", () => {
    const dead = path.join(tmp, 'flakeguard-findings-99999999-abc'); // above any pid_max: no such process
    const alive = path.join(tmp, `flakeguard-findings-${process.ppid}-abc`);
    const foreign = path.join(tmp, 'flakeguard-findings-x-abc');
    for (const dir of [dead, alive, foreign]) fs.mkdirSync(dir);
    const made = createFindingsDir(tmp);
    expect(path.basename(made)).toMatch(new RegExp(`^flakeguard-findings-${process.pid}-`));
    expect(fs.existsSync(made)).toBe(true);
    expect([dead, alive, foreign].map((dir) => fs.existsSync(dir))).toEqual([false, true, true]);
  });
});
