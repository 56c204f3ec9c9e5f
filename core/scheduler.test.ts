import { DispatchQueue, type Job } from './scheduler';
import { idealMakespan, simulateSchedule, type SimJob } from './simulate';

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
  test('longest expected duration first; unknown durations count as the mean of the known ones', () => {
    const queue = new DispatchQueue([job('short', 10), job('unknown'), job('long', 90)]);
    expect(drain(queue)).toEqual(['long', 'unknown', 'short']);
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
    const jobs: SimJob[] = [{ name: 'x-0', work: 100, resources: ['x'] }, { name: 'y-0', work: 100, resources: ['y'] }];
    jobs.push({ name: 'both', work: 1, resources: ['x', 'y'] });
    for (let i = 1; i < 40; i++) jobs.push({ name: `x-${i}`, work: 100, resources: ['x'] }, { name: `y-${i}`, work: 100, resources: ['y'] });
    const { runs } = simulateSchedule(jobs, 2);
    const both = runs.find((run) => run.name === 'both')!;
    const startedBefore = runs.filter((run) => run.start < both.start).length;
    expect(startedBefore).toBeGreaterThanOrEqual(2);
    expect(startedBefore).toBeLessThan(20);
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
    const { runs } = simulateSchedule(suite.filter((j) => !j.exclusive && !j.resources), 3);
    // Without locks, every start time is either 0 or the end of an earlier file on the same worker.
    for (const run of runs) {
      if (run.start === 0) continue;
      expect(runs.some((other) => other.worker === run.worker && other.end === run.start)).toBe(true);
    }
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
