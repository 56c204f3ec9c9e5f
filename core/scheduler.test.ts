import { DispatchQueue, drainQueue, type DrainableQueue, type Job } from './scheduler';
import { idealMakespan, simulateSchedule, type SimJob, type SimRun } from './simulate';

const job = (item: string, duration?: number, resources: string[] = []): Job<string> => ({ item, duration, resources });

function drain<T>(queue: DispatchQueue<T>): T[] {
  const order: T[] = [];
  for (let next = queue.next(); next; next = queue.next()) {
    order.push(next.item);
    queue.release(next);
  }
  return order;
}

describe('DispatchQueue', () => {
  test('parallel-lane files keep the order Jest gave (failed first, custom sequencers), not their durations', () => {
    const queue = new DispatchQueue([job('failed-last-time', 10), job('unknown'), job('long', 90)]);
    expect(drain(queue)).toEqual(['failed-last-time', 'unknown', 'long']);
  });

  test('unknown durations count as the mean of the known ones', () => {
    // Known: 50 and 20, mean 35; the db chain is then 35 + 20 = 55 > 50 and goes before the parallel file.
    // Counted as nothing, the chain would be 20 and the parallel file would go first.
    const queue = new DispatchQueue([job('plain', 50), job('db-unknown', undefined, ['db']), job('db-known', 20, ['db'])]);
    expect(queue.next()?.item).toBe('db-unknown');
    expect(queue.next()?.item).toBe('plain');
  });

  test('ties keep the order Jest gave', () => {
    expect(drain(new DispatchQueue([job('a', 5), job('b', 5), job('c', 5)]))).toEqual(['a', 'b', 'c']);
  });

  test('a file whose resource is held waits; an unrelated file is handed out instead', () => {
    const queue = new DispatchQueue([job('db-1', 50, ['db']), job('db-2', 50, ['db']), job('plain', 10)]);
    const first = queue.next();
    expect(first?.item).toBe('db-1');
    expect(queue.next()?.item).toBe('plain');
    expect(queue.next()).toBeUndefined();
    queue.release(first!);
    expect(queue.next()?.item).toBe('db-2');
  });

  test('a file naming two resources waits for both', () => {
    const queue = new DispatchQueue([job('a', 30, ['db']), job('ab', 20, ['db', 'port']), job('b', 10, ['port'])]);
    const a = queue.next()!;
    const b = queue.next()!;
    expect([a.item, b.item]).toEqual(['a', 'b']);
    expect(queue.next()).toBeUndefined();
    queue.release(a);
    expect(queue.next()).toBeUndefined();
    queue.release(b);
    expect(queue.next()?.item).toBe('ab');
  });

  test('the longest resource chain starts before a longer single file', () => {
    // Four 30 ms db files make a 120 ms chain: it bounds the run, so it goes first.
    const queue = new DispatchQueue([job('big', 100), ...[1, 2, 3, 4].map((i) => job(`db-${i}`, 30, ['db']))]);
    expect(queue.next()?.item).toBe('db-1');
    expect(queue.next()?.item).toBe('big');
  });

  test('no starvation: a file needing two busy resources gets them after being passed over a few times', () => {
    // 'both' needs x and y; on two workers a stream of x-only and y-only files would keep one of them busy forever.
    const jobs: SimJob[] = [
      { name: 'x-0', work: 100, resources: ['x'] },
      { name: 'y-0', work: 100, resources: ['y'] },
    ];
    jobs.push({ name: 'both', work: 1, resources: ['x', 'y'] });
    for (let i = 1; i < 40; i++) jobs.push({ name: `x-${i}`, work: 100, resources: ['x'] }, { name: `y-${i}`, work: 100, resources: ['y'] });
    const { runs } = simulateSchedule(jobs, 2);
    const both = runs.find((run) => run.name === 'both')!;
    const startedBefore = runs.filter((run) => run.start < both.start).length;
    expect(startedBefore).toBeGreaterThanOrEqual(2);
    expect(startedBefore).toBeLessThan(20);
  });

  test("takeRest empties the queue and returns what waited, in Jest's order", () => {
    const queue = new DispatchQueue([job('p1', 5), job('db-1', 50, ['db']), job('p2', 5), job('db-2', 50, ['db']), job('p3', 5)]);
    expect(queue.next()?.item).toBe('db-1');
    expect(queue.next()?.item).toBe('p1');
    expect(queue.takeRest().map((j) => j.item)).toEqual(['p2', 'db-2', 'p3']);
    expect(queue.size).toBe(0);
    expect(queue.next()).toBeUndefined();
  });

  test('holds never form a cycle: three files, each starving for a pair of resources, all run', () => {
    // The auditor's stall: a+b, b+c and a+c files passed over until each held part of what the next needed.
    const spec: Array<[number, string]> = [
      [209, 'c'],
      [146, ''],
      [173, 'a'],
      [173, ''],
      [201, ''],
      [121, ''],
      [344, 'a+c'],
      [333, ''],
      [163, ''],
      [181, 'a+c'],
      [150, ''],
      [165, 'b+c'],
      [106, 'a+c'],
      [315, ''],
      [339, 'a+b'],
      [159, 'a+b'],
      [231, ''],
    ];
    const jobs = spec.map(([work, resources], i): SimJob => ({ name: `f${i}`, work, resources: resources ? resources.split('+') : undefined }));
    const { runs } = simulateSchedule(jobs, 3, 'as-listed');
    expect(runs.map((run) => run.name).sort()).toEqual(jobs.map((j) => j.name).sort());
  });

  test('a free resource held for a starving file is used by a file that ends before the hold matters', () => {
    // 'both' needs x (busy for 2 s) and y; the y files fit before x comes back and must not wait behind 'both'.
    const jobs: SimJob[] = [
      { name: 'x0', work: 2000, resources: ['x'] },
      { name: 'both', work: 10, resources: ['x', 'y'] },
    ];
    for (let i = 1; i <= 12; i++) jobs.push({ name: `y${i}`, work: 100, resources: ['y'] });
    const { runs, makespan } = simulateSchedule(jobs, 2);
    expect(runs.find((run) => run.name === 'both')!.start).toBe(2000);
    expect(Math.max(...runs.filter((run) => run.name.startsWith('y')).map((run) => run.end))).toBe(1200);
    expect(makespan).toBe(2010);
  });

  test('a file that would overrun the hold waits for the starving file instead', () => {
    // Eight y files pass 'both' over (t = 1050): it holds x (busy until 2 s) and y. The next y files fit
    // before 2 s and run; the one that would end after 2 s waits, so 'both' starts at 2 s.
    const jobs: SimJob[] = [
      { name: 'x0', work: 2000, resources: ['x'] },
      { name: 'both', work: 10, resources: ['x', 'y'] },
    ];
    for (let i = 1; i <= 20; i++) jobs.push({ name: `y${String(i).padStart(2, '0')}`, work: 150, resources: ['y'] });
    const { runs } = simulateSchedule(jobs, 2);
    const both = runs.find((run) => run.name === 'both')!;
    expect(both.start).toBe(2000);
    const yBefore = runs.filter((run) => run.name.startsWith('y') && run.start < both.start);
    expect(yBefore.length).toBe(13);
    expect(Math.max(...yBefore.map((run) => run.end))).toBeLessThanOrEqual(2000);
    expect(idleViolations(jobs, runs, 2)).toEqual([]);
  });
});

describe('simulateSchedule', () => {
  const suite: SimJob[] = [
    ...Array.from({ length: 12 }, (_, i) => ({ name: `p${i}`, work: 100 + ((i * 37) % 200) })),
    ...Array.from({ length: 3 }, (_, i) => ({ name: `db${i}`, work: 150, resources: ['db'] })),
    ...Array.from({ length: 2 }, (_, i) => ({ name: `port${i}`, work: 120, resources: ['port'] })),
    { name: 'both', work: 80, resources: ['db', 'port'] },
    ...Array.from({ length: 2 }, (_, i) => ({ name: `x${i}`, work: 90, exclusive: true })),
  ];

  test('never overlaps files sharing a resource, and exclusive files run alone', () => {
    const { runs } = simulateSchedule(suite, 3);
    const byName = new Map(runs.map((run) => [run.name, run]));
    const overlap = (a: string, b: string) => byName.get(a)!.start < byName.get(b)!.end && byName.get(b)!.start < byName.get(a)!.end;
    const sharing = suite.filter((j) => j.resources);
    for (const a of sharing) {
      for (const b of sharing) {
        if (a !== b && a.resources!.some((r) => b.resources!.includes(r))) expect(overlap(a.name, b.name)).toBe(false);
      }
    }
    for (const x of suite.filter((j) => j.exclusive)) {
      for (const other of suite) if (other !== x) expect(overlap(x.name, other.name)).toBe(false);
    }
  });

  test('no worker idles while a runnable file waits', () => {
    expect(idleViolations(suite, simulateSchedule(suite, 3).runs, 3)).toEqual([]);
  });

  test('lands within 10% of the lower bound on a mixed suite', () => {
    const { makespan } = simulateSchedule(suite, 3);
    expect(makespan / idealMakespan(suite, 3)).toBeLessThanOrEqual(1.1);
  });
});

test('idealMakespan: work over workers, the longest chain, plus the exclusive lane', () => {
  const jobs: SimJob[] = [
    { name: 'a', work: 100 },
    { name: 'b', work: 100 },
    { name: 'c', work: 40, resources: ['db'] },
    { name: 'd', work: 40, resources: ['db'] },
    { name: 'e', work: 40, resources: ['db'] },
    { name: 'x', work: 30, exclusive: true },
  ];
  expect(idealMakespan(jobs, 2)).toBe(160 + 30);
  expect(idealMakespan(jobs, 4)).toBe(120 + 30);
});

describe('random multi-resource suites', () => {
  // A fixed-seed generator: the same 400 suites on every run, so a failure names a seed that reproduces.
  const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const suites = Array.from({ length: 400 }, (_, seed) => {
    const next = random(seed + 1);
    const jobs: SimJob[] = [];
    const count = 5 + Math.floor(next() * 40);
    for (let i = 0; i < count; i++) {
      const roll = next();
      let resources: string[] | undefined;
      if (roll < 0.5) {
        resources = ['a', 'b', 'c', 'd'].filter(() => next() < 0.4);
        if (resources.length === 0) resources = [['a', 'b', 'c', 'd'][Math.floor(next() * 4)]!];
      }
      jobs.push({ name: `j${i}`, work: 10 + Math.floor(next() * 200), resources, exclusive: roll > 0.95 });
    }
    // Half the suites come in Jest's default order, half as listed (a custom sequencer's).
    return { seed: seed + 1, jobs, workers: 2 + Math.floor(next() * 3), order: seed % 2 === 0 ? ('longest-first' as const) : ('as-listed' as const) };
  });

  test('every file is dispatched exactly once, and files sharing a resource never overlap', () => {
    for (const { seed, jobs, workers, order } of suites) {
      const { runs } = simulateSchedule(jobs, workers, order);
      expect({ seed, names: runs.map((run) => run.name).sort() }).toEqual({ seed, names: jobs.map((j) => j.name).sort() });
      const byName = new Map(runs.map((run) => [run.name, run]));
      const clashes: string[] = [];
      for (const a of jobs) {
        for (const b of jobs) {
          const ra = byName.get(a.name)!;
          const rb = byName.get(b.name)!;
          const share = a.resources?.some((r) => b.resources?.includes(r));
          if (a !== b && share && ra.start < rb.end && rb.start < ra.end) clashes.push(`${a.name}/${b.name}`);
        }
      }
      expect({ seed, clashes }).toEqual({ seed, clashes: [] });
    }
  });

  test('no worker idles while a file that could run without delaying a starving one waits', () => {
    for (const { seed, jobs, workers, order } of suites) {
      expect({ seed, idle: idleViolations(jobs, simulateSchedule(jobs, workers, order).runs, workers) }).toEqual({ seed, idle: [] });
    }
  });
});

/**
 * Moments when a worker was idle while a waiting file had all its resources free and could have run then
 * without pushing back any file that shares one of its resources and started later: a parallel file never
 * has an excuse; a grouped file only that it would still be running when such a file started.
 */
function idleViolations(jobs: readonly SimJob[], allRuns: readonly SimRun[], workers: number): string[] {
  const spec = new Map(jobs.map((job) => [job.name, job]));
  // The exclusive lane runs alone after the pool by design.
  const runs = allRuns.filter((run) => !spec.get(run.name)!.exclusive);
  const resourcesOf = (name: string) => spec.get(name)!.resources ?? [];
  const violations: string[] = [];
  for (const t of new Set([0, ...runs.map((run) => run.end)])) {
    const running = runs.filter((run) => run.start <= t && t < run.end);
    if (running.length >= workers) continue;
    const busy = new Set(running.flatMap((run) => resourcesOf(run.name)));
    const waiting = runs.filter((run) => run.start > t);
    for (const file of waiting) {
      const mine = resourcesOf(file.name);
      if (mine.some((r) => busy.has(r))) continue;
      const wouldDelay = waiting.some((other) => other !== file && resourcesOf(other.name).some((r) => mine.includes(r)) && t + (file.end - file.start) > other.start);
      if (!wouldDelay) violations.push(`${file.name} could start at ${t} but started at ${file.start}`);
    }
  }
  return violations;
}

describe('drainQueue', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const driver = (run: (job: Job<string>) => Promise<void>, stalled: Array<Job<string>[]> = [], stopped = () => false) => ({
    slots: 2,
    run,
    stopped,
    stalled: async (jobs: Job<string>[]) => void stalled.push(jobs),
  });

  test('runs every job, never more than `slots` at once, never two sharing a resource together', async () => {
    const queue = new DispatchQueue([job('a', 5, ['db']), job('b', 5, ['db', 'port']), job('c', 5), job('d', 5, ['port']), job('e', 5)]);
    const running = new Set<Job<string>>();
    const ran: string[] = [];
    const clashes: string[] = [];
    let most = 0;
    await drainQueue(
      queue,
      driver(async (next) => {
        for (const other of running) if (other.resources.some((r) => next.resources.includes(r))) clashes.push(`${other.item}/${next.item}`);
        running.add(next);
        most = Math.max(most, running.size);
        await sleep(5);
        running.delete(next);
        ran.push(next.item);
      }),
    );
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(clashes).toEqual([]);
    expect(most).toBe(2);
  });

  /** A queue that refuses to hand out anything until `dropHolds` is called `unlockAfter` times. */
  function stubbornQueue(items: string[], unlockAfter: number): DrainableQueue<string> & { drops: number } {
    const waiting = items.map((item) => job(item));
    return {
      drops: 0,
      get size() {
        return waiting.length;
      },
      next() {
        return this.drops >= unlockAfter ? waiting.shift() : undefined;
      },
      release() {},
      dropHolds() {
        this.drops++;
      },
      takeRest() {
        return waiting.splice(0);
      },
    };
  }

  test('a queue stuck with nothing running gets its holds dropped and is asked again', async () => {
    const queue = stubbornQueue(['a', 'b'], 1);
    const ran: string[] = [];
    const stalled: Array<Job<string>[]> = [];
    await drainQueue(
      queue,
      driver(async (next) => void ran.push(next.item), stalled),
    );
    expect(ran).toEqual(['a', 'b']);
    expect(stalled).toEqual([]);
  });

  test('a queue still stuck after that hands its files to `stalled` instead of resolving as if all ran', async () => {
    const queue = stubbornQueue(['a', 'b'], Infinity);
    const stalled: Array<Job<string>[]> = [];
    await drainQueue(
      queue,
      driver(async () => undefined, stalled),
    );
    expect(stalled.map((jobs) => jobs.map((j) => j.item))).toEqual([['a', 'b']]);
    expect(queue.size).toBe(0);
  });

  test('files left by an interruption are not a stall', async () => {
    const queue = new DispatchQueue([job('a', 5), job('b', 5), job('c', 5)]);
    const stalled: Array<Job<string>[]> = [];
    let stop = false;
    await drainQueue(queue, {
      ...driver(
        async () => void (stop = true),
        stalled,
        () => stop,
      ),
      slots: 1,
    });
    expect(queue.size).toBe(2);
    expect(stalled).toEqual([]);
  });

  test('a failing job stops new starts, and the drain rejects once the running ones end', async () => {
    const queue = new DispatchQueue([job('bad', 5), job('slow', 5), job('never', 5)]);
    const ran: string[] = [];
    const drained = drainQueue(
      queue,
      driver(async (next) => {
        if (next.item === 'bad') throw new Error('bail');
        await sleep(20);
        ran.push(next.item);
      }),
    );
    await expect(drained).rejects.toThrow('bail');
    expect(ran).toEqual(['slow']);
  });
});
