// Plays a schedule on paper: the dispatch queue driving N workers with known work, and the best any schedule can do.

import { DispatchQueue, type Job } from './scheduler';

export interface SimJob {
  name: string;
  /** The real work in ms. */
  work: number;
  /** What the scheduler is told (Jest's timing cache); defaults to the real work. */
  expected?: number;
  resources?: string[];
  exclusive?: boolean;
}

export interface SimRun {
  name: string;
  worker: number;
  start: number;
  end: number;
}

/**
 * Runs pool jobs through a DispatchQueue on `workers` workers, then exclusive jobs one by one. The queue gets
 * the jobs in the order Jest's default sequencer would give them (longest expected first, ties as listed), or
 * as listed, standing for a custom sequencer's order.
 */
export function simulateSchedule(jobs: readonly SimJob[], workers: number, order: 'longest-first' | 'as-listed' = 'longest-first'): { makespan: number; runs: SimRun[] } {
  const runs: SimRun[] = [];
  const expected = (job: SimJob) => job.expected ?? job.work;
  const toJob = (job: SimJob): Job<SimJob> => ({ item: job, resources: job.resources ?? [], duration: expected(job) });
  const sequenced = jobs.filter((job) => !job.exclusive);
  if (order === 'longest-first') sequenced.sort((a, b) => expected(b) - expected(a));
  let now = 0;
  const queue = new DispatchQueue(sequenced.map(toJob), { now: () => now });
  const free = Array.from({ length: workers }, (_, worker) => worker);
  const active: Array<{ job: Job<SimJob>; worker: number; end: number }> = [];
  for (;;) {
    while (free.length > 0) {
      const job = queue.next();
      if (!job) break;
      const worker = free.shift()!;
      active.push({ job, worker, end: now + job.item.work });
      runs.push({ name: job.item.name, worker, start: now, end: now + job.item.work });
    }
    if (active.length === 0) break;
    active.sort((a, b) => a.end - b.end);
    const done = active.shift()!;
    now = done.end;
    queue.release(done.job);
    free.push(done.worker);
    free.sort((a, b) => a - b);
  }
  if (queue.size > 0) throw new Error(`the queue stalled with ${queue.size} jobs left`);
  for (const job of jobs.filter((candidate) => candidate.exclusive)) {
    runs.push({ name: job.name, worker: 0, start: now, end: now + job.work });
    now += job.work;
  }
  return { makespan: now, runs };
}

/**
 * A lower bound on any schedule's wall time: the pool part can finish no sooner than its work spread over
 * the workers, its longest file, or its longest resource chain; the exclusive files add their sum.
 */
export function idealMakespan(jobs: readonly SimJob[], workers: number): number {
  const pool = jobs.filter((job) => !job.exclusive);
  const total = pool.reduce((sum, job) => sum + job.work, 0);
  const chains = new Map<string, number>();
  for (const job of pool) for (const resource of job.resources ?? []) chains.set(resource, (chains.get(resource) ?? 0) + job.work);
  const longest = Math.max(0, ...pool.map((job) => job.work), ...chains.values());
  const exclusive = jobs.filter((job) => job.exclusive).reduce((sum, job) => sum + job.work, 0);
  return Math.max(total / workers, longest) + exclusive;
}
