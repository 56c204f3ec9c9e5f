import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sweepOrphanTemps } from './atomicWrite';
import { processAlive, withFileLock } from './fileLock';

/** The pid of a process that has ended (it ran and exited). */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-lock-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('withFileLock', () => {
  test('the lock names its holder while held, and is gone after; nothing else is left', () => {
    const lock = path.join(dir, 'h.lock');
    const seen = withFileLock(lock, () => fs.readFileSync(lock, 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a lock left by a process that is gone is taken at once: no wait', () => {
    const lock = path.join(dir, 'h.lock');
    const pid = deadPid();
    expect(processAlive(pid)).toBe(false);
    fs.writeFileSync(lock, `${pid}\n`);
    const sleeps: number[] = [];
    expect(withFileLock(lock, () => 'ran', { sleep: (ms) => sleeps.push(ms) })).toBe('ran');
    expect(sleeps).toEqual([]);
    expect(fs.existsSync(lock)).toBe(false);
  });

  test('a live holder is waited for, then taken over at the deadline rather than lose the run', () => {
    const lock = path.join(dir, 'h.lock');
    fs.writeFileSync(lock, `${process.ppid}\n`); // the process that started this one: alive
    const sleeps: number[] = [];
    const started = Date.now();
    let now = started;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      withFileLock(lock, () => undefined, { waitMs: 100, sleep: (ms) => ((now += ms), sleeps.push(ms)) });
    } finally {
      spy.mockRestore();
    }
    expect(sleeps.length).toBe(5);
  });

  test('a lock without a readable pid is waited for while fresh, taken when old', () => {
    const lock = path.join(dir, 'h.lock');
    fs.writeFileSync(lock, 'garbage');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    const sleeps: number[] = [];
    withFileLock(lock, () => undefined, { sleep: (ms) => sleeps.push(ms) });
    expect(sleeps).toEqual([]);
  });

  test("a holder that was taken over does not remove its successor's lock", () => {
    const lock = path.join(dir, 'h.lock');
    withFileLock(lock, () => {
      fs.writeFileSync(lock, '424242\n'); // someone took it over meanwhile
    });
    expect(fs.readFileSync(lock, 'utf8')).toBe('424242\n');
  });
});

describe('sweepOrphanTemps', () => {
  test("removes temp files of writers that are gone; keeps live writers', its own, and every other file", () => {
    const dead = deadPid();
    const names = [
      `last-run.json.${dead}.abc123.tmp`,
      `history.json.gz.lock.${dead}.x9.tmp`,
      `junit.xml.${process.ppid}.q1.tmp`,
      `junit.xml.${process.pid}.q2.tmp`,
      'last-run.json',
      'notes.tmp',
    ];
    for (const name of names) fs.writeFileSync(path.join(dir, name), 'x');
    expect(sweepOrphanTemps(dir)).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual([`junit.xml.${process.pid}.q2.tmp`, `junit.xml.${process.ppid}.q1.tmp`, 'last-run.json', 'notes.tmp'].sort());
    expect(sweepOrphanTemps(path.join(dir, 'nowhere'))).toBe(0);
  });
});
