// Decides which waiting test file a free worker takes next: resource locks, critical work first, no starvation.

export interface Job<T> {
  item: T;
  /** Resources held while the job runs; jobs sharing one never overlap. Empty for the parallel lane. */
  resources: readonly string[];
  /** Expected duration in ms (Jest's timing cache); undefined when unknown. */
  duration: number | undefined;
}

export interface DispatchQueueOptions {
  /** The clock in ms; a simulation passes its own. */
  now?: () => number;
}

interface Entry<T> {
  job: Job<T>;
  /** Place in Jest's order. */
  order: number;
  estimate: number;
  passedOver: number;
}

/** How often a resource a waiting job needs may go to another job before its resources are held for it. */
const PASS_OVER_LIMIT = 8;

/**
 * A queue of jobs for a pool of workers. `next()` hands out a job whose resources are free and takes its
 * locks; `release()` gives them back.
 *
 * - Parallel-lane jobs leave in the order Jest's sequencer chose (failed last time first, then longest; or a
 *   custom sequencer's order). Only the first of them competes with resource jobs, by its expected duration.
 * - A resource job's urgency is the work still queued behind its busiest resource (that chain bounds the
 *   run), at least its own duration; the most urgent wins, ties keep Jest's order.
 * - A job that saw resources it needs go to other jobs too often becomes starving. Only the first starving
 *   job holds its resources (one holder at a time, so holders can never wait on each other in a cycle), and
 *   it goes first as soon as they are free. Meanwhile another job may take one of its free resources only if
 *   it is expected to end before the holder's busy resources come back (backfilling): the idle resource is
 *   used without delaying the holder, and every overrun of an estimate delays it by a bounded time.
 */
export class DispatchQueue<T> {
  /** Parallel-lane jobs in Jest's order; those before `parallelHead` have left. */
  private readonly parallel: Entry<T>[] = [];
  private parallelHead = 0;
  /** Resource-group jobs still waiting, in Jest's order. */
  private readonly grouped: Entry<T>[] = [];
  /** Busy resources, each with the time its current job is expected to release it. */
  private readonly held = new Map<string, number>();
  /** Jobs passed over too often, in the order they got there; the first one holds its resources. */
  private readonly starving: Entry<T>[] = [];
  private readonly queuedWork = new Map<string, number>();
  private readonly now: () => number;

  constructor(jobs: ReadonlyArray<Job<T>>, options: DispatchQueueOptions = {}) {
    this.now = options.now ?? Date.now;
    const known = jobs.map((job) => job.duration).filter((d): d is number => typeof d === 'number' && d > 0);
    const fallback = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    jobs.forEach((job, order) => {
      const entry: Entry<T> = { job, order, estimate: job.duration && job.duration > 0 ? job.duration : fallback, passedOver: 0 };
      (job.resources.length === 0 ? this.parallel : this.grouped).push(entry);
      for (const resource of job.resources) this.queuedWork.set(resource, (this.queuedWork.get(resource) ?? 0) + entry.estimate);
    });
  }

  get size(): number {
    return this.parallel.length - this.parallelHead + this.grouped.length;
  }

  next(): Job<T> | undefined {
    const now = this.now();
    const holder = this.starving[0];
    const chosen = holder && this.isFree(holder) ? holder : this.mostUrgent(now, holder);
    if (!chosen) return undefined;
    if (chosen.job.resources.length === 0) {
      this.parallelHead++;
      return chosen.job;
    }
    this.grouped.splice(this.grouped.indexOf(chosen), 1);
    const starvingAt = this.starving.indexOf(chosen);
    if (starvingAt >= 0) this.starving.splice(starvingAt, 1);
    // Passed over: a waiting job saw a resource it needs go to another job.
    for (const entry of this.grouped) {
      if (this.starving.includes(entry)) continue;
      if (entry.job.resources.some((r) => chosen.job.resources.includes(r)) && ++entry.passedOver >= PASS_OVER_LIMIT) {
        this.starving.push(entry);
      }
    }
    for (const resource of chosen.job.resources) {
      this.held.set(resource, now + chosen.estimate);
      this.queuedWork.set(resource, (this.queuedWork.get(resource) ?? 0) - chosen.estimate);
    }
    return chosen.job;
  }

  release(job: Job<T>): void {
    for (const resource of job.resources) this.held.delete(resource);
  }

  /**
   * Forgets every hold for starving jobs. The queue never needs it (with nothing running every waiting job's
   * resources are free); the runner calls it before declaring a stall, as a second line of defence.
   */
  dropHolds(): void {
    this.starving.length = 0;
    for (const entry of this.grouped) entry.passedOver = 0;
  }

  /** Empties the queue, returning what was still waiting, in Jest's order. */
  takeRest(): Job<T>[] {
    const rest = [...this.parallel.slice(this.parallelHead), ...this.grouped].sort((a, b) => a.order - b.order);
    this.parallelHead = this.parallel.length;
    this.grouped.length = 0;
    this.starving.length = 0;
    return rest.map((entry) => entry.job);
  }

  private mostUrgent(now: number, holder: Entry<T> | undefined): Entry<T> | undefined {
    // The parallel lane keeps Jest's order: only its first waiting job is a candidate.
    let best = this.parallel[this.parallelHead];
    let bestUrgency = best ? best.estimate : -Infinity;
    for (const entry of this.grouped) {
      if (!this.mayStart(entry, now, holder)) continue;
      const urgency = this.urgency(entry);
      // An equal urgency goes to the file earlier in Jest's order.
      if (urgency > bestUrgency || (urgency === bestUrgency && entry.order < best!.order)) {
        best = entry;
        bestUrgency = urgency;
      }
    }
    return best;
  }

  private isFree(entry: Entry<T>): boolean {
    return entry.job.resources.every((r) => !this.held.has(r));
  }

  /** Free, and either clear of the holder's resources or expected to end before the holder can start. */
  private mayStart(entry: Entry<T>, now: number, holder: Entry<T> | undefined): boolean {
    if (!this.isFree(entry)) return false;
    if (!holder || entry === holder || !entry.job.resources.some((r) => holder.job.resources.includes(r))) return true;
    return now + entry.estimate <= this.expectedStart(holder, now);
  }

  /** When the holder's busy resources are expected back; a job overdue is taken to end any moment. */
  private expectedStart(holder: Entry<T>, now: number): number {
    let start = now;
    for (const resource of holder.job.resources) start = Math.max(start, this.held.get(resource) ?? now);
    return start;
  }

  private urgency(entry: Entry<T>): number {
    let urgency = entry.estimate;
    for (const resource of entry.job.resources) urgency = Math.max(urgency, this.queuedWork.get(resource) ?? 0);
    return urgency;
  }
}

/** What `drainQueue` needs from a queue; `DispatchQueue` is one. */
export type DrainableQueue<T> = Pick<DispatchQueue<T>, 'next' | 'release' | 'size' | 'dropHolds' | 'takeRest'>;

export interface QueueDriver<T> {
  /** At most this many jobs run at once. */
  slots: number;
  /** Runs one job. A rejection stops new starts; the drain rejects with it once running jobs end. */
  run(job: Job<T>): Promise<void>;
  /** True when no more jobs may start (an interrupted watch run); what is left then is not a stall. */
  stopped(): boolean;
  /** Jobs the queue would not hand out though nothing ran: they must be reported, never dropped silently. */
  stalled(jobs: Job<T>[]): Promise<void>;
}

/**
 * Runs a queue to the end: a freed slot takes the next runnable job at once. Resolves only when the queue is
 * empty (or stopped). Should the queue ever refuse every job with nothing running, its holds are dropped and
 * it is asked again; if it still refuses, the rest go to `stalled` rather than vanish from the run.
 */
export function drainQueue<T>(queue: DrainableQueue<T>, driver: QueueDriver<T>): Promise<void> {
  return new Promise((resolve, reject) => {
    let running = 0;
    let failure: { error: unknown } | undefined;
    const fill = (): void => {
      while (running < driver.slots && !failure && !driver.stopped()) {
        const job = queue.next();
        if (!job) break;
        running++;
        driver
          .run(job)
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            running--;
            queue.release(job);
            pump();
          });
      }
    };
    const pump = (): void => {
      fill();
      if (running === 0 && !failure && !driver.stopped() && queue.size > 0) {
        queue.dropHolds();
        fill();
      }
      if (running > 0) return;
      if (failure) reject(failure.error);
      else if (!driver.stopped() && queue.size > 0) driver.stalled(queue.takeRest()).then(resolve, reject);
      else resolve();
    };
    pump();
  });
}
