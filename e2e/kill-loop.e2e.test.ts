// SIGKILL at seeded points of the reporter's end-of-run writes (manifest, flake history under its lock, JUnit),
// run after run in one fixture copy: every file left still parses, the next run sweeps the dead run's temp files,
// and a lock the dead run held is taken at once (the next run never sleeps in a lock wait).

import * as fs from 'fs';
import * as path from 'path';
import { XMLValidator } from 'fast-xml-parser';
import { copyFixture, removeFixture, runJest } from './harness';
import { readHistory } from '../io/historyFile';
import { readManifest } from '../io/manifestFile';

const PRELOAD = path.join(__dirname, 'killPoint.js');
// One kill point in each twelfth of the run's writes (manifest, history under its lock, JUnit): every phase is hit.
const SEEDS = 12;

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PointLog {
  pid: number;
  writes: number | null;
  killed: string | null;
  lockWaits: number;
}

function readLog(file: string): PointLog {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  // Workers preload it too: the reporter's process is the one that counted writes or was killed.
  const pids = lines.filter((l) => l.startsWith('pid ')).map((l) => Number(l.slice(4)));
  const writes = lines.find((l) => l.startsWith('writes '));
  return {
    pid: pids[0]!,
    writes: writes ? Number(writes.slice(7)) : null,
    killed: lines.find((l) => l.startsWith('killed ')) ?? null,
    lockWaits: lines.filter((l) => l === 'lock-wait').length,
  };
}

describe('kill loop: SIGKILL during the end-of-run writes, 12 seeded points spread over them', () => {
  let dir: string;
  let out: string;
  beforeAll(() => {
    dir = copyFixture('kill-loop');
    out = path.join(dir, '.flakeguard');
  });
  afterAll(() => removeFixture(dir));

  const run = async (name: string, env: Record<string, string> = {}): Promise<PointLog> => {
    const log = path.join(dir, `${name}.log`);
    // --runInBand: the reporter and the tests share one process, as on a 2-core CI machine.
    await runJest(dir, ['--ci', '--runInBand'], { NODE_OPTIONS: `--require ${PRELOAD}`, KILL_POINT_LOG: log, ...env });
    return readLog(log);
  };

  /** Whatever is in the output folder parses as what it claims to be. */
  const expectEverythingParses = (): void => {
    const manifest = path.join(out, 'last-run.json');
    if (fs.existsSync(manifest)) readManifest(manifest);
    readHistory(path.join(out, 'history'));
    const junit = path.join(out, 'junit.xml');
    if (fs.existsSync(junit)) expect(XMLValidator.validate(fs.readFileSync(junit, 'utf8'))).toBe(true);
  };

  const leftovers = (pid: number): string[] =>
    [out, path.join(out, 'history')].flatMap((d) => (fs.existsSync(d) ? fs.readdirSync(d) : [])).filter((name) => name.includes(`.${pid}.`));

  test(
    "every file parses after each kill; the next run sweeps the dead run's orphans and takes its lock at once",
    async () => {
      const clean = await run('clean');
      expect(clean.killed).toBeNull();
      const writes = clean.writes!;
      expect(writes).toBeGreaterThan(10); // manifest, lock, history, JUnit: the points to kill at

      const random = mulberry32(20261201);
      const kills: string[] = [];
      let orphansSeen = 0;
      let staleLocks = 0;
      let previous: PointLog = clean;
      for (let seed = 0; seed < SEEDS; seed++) {
        const at = 1 + Math.floor(((seed + random()) * writes) / SEEDS);
        const mode = seed % 2 === 0 ? 'partial' : 'before';
        const lockLeft = fs.existsSync(path.join(out, 'history', 'history.json.gz.lock'));
        if (lockLeft) staleLocks++;
        orphansSeen += leftovers(previous.pid).length;
        const killedRun = await run(`kill-${seed}`, { KILL_POINT_AT: String(at), KILL_POINT_MODE: mode });
        if (killedRun.killed) kills.push(killedRun.killed);
        // The dead run before this one left nothing this run did not sweep, and its lock never made this one wait.
        expect([seed, leftovers(previous.pid)]).toEqual([seed, []]);
        expect([seed, killedRun.lockWaits]).toEqual([seed, 0]);
        expectEverythingParses();
        previous = killedRun;
      }
      expect(kills.length).toBeGreaterThanOrEqual(10);
      // The seeds do hit the cases that matter: temp files left behind, and the history lock held at death.
      expect(orphansSeen).toBeGreaterThan(0);
      expect(staleLocks).toBeGreaterThan(0);

      const last = await run('last');
      expect(last.killed).toBeNull();
      expect(last.lockWaits).toBe(0);
      expect(leftovers(previous.pid)).toEqual([]);
      expect(fs.readdirSync(path.join(out, 'history'))).toEqual(['history.json.gz']);
      expect(fs.readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expectEverythingParses();
      expect(readManifest(path.join(out, 'last-run.json')).counts).toMatchObject({ passed: 41, failed: 1 });
      expect(readHistory(path.join(out, 'history')).runs.length).toBeGreaterThan(1);
    },
    20 * 60_000,
  ); // 38 Jest runs in a row: a limit for the whole loop, not a timing assertion
});
