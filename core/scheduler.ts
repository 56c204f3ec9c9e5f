// Decides which waiting test file a free worker takes next: resource locks, critical work first, no starvation.

export interface Job<T> {
  item: T;
  /** Resources held while the job runs; jobs sharing one never overlap. Empty for the parallel lane. */
  resources: readonly string[];
  /** Expected duration in ms (Jest's timing cache); undefined when unknown. */
  duration: number | undefined;
}

interface Entry<T> {
  job: Job<T>;
  order: number;
  estimate: number;
  passedOver: number;
}

/** How often a waiting job may be passed over for its busy resources before they are held for it. */
const PASS_OVER_LIMIT = 8;

/**
 * A queue of jobs for a pool of workers. `next()` hands out the most urgent job whose resources are free
 * and takes its locks; `release()` gives them back. A job's urgency is the work still queued behind its
 * busiest resource (that chain bounds the run), or its own duration in the parallel lane; ties keep the
 * order Jest's sequencer chose.
 */
export class DispatchQueue<T> {
  private readonly waiting: Entry<T>[];
  private readonly held = new Set<string>();
  /** Resources kept for a job that was passed over too often: nobody else may take them. */
  private readonly reserved = new Map<string, Entry<T>>();
  private readonly queuedWork = new Map<string, number>();

  constructor(jobs: ReadonlyArray<Job<T>>) {
    const known = jobs.map((job) => job.duration).filter((d): d is number => typeof d === 'number' && d > 0);
    const fallback = known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : 1;
    this.waiting = jobs.map((job, order) => ({ job, order, estimate: job.duration && job.duration > 0 ? job.duration : fallback, passedOver: 0 }));
    for (const entry of this.waiting) {
      for (const resource of entry.job.resources) {
        this.queuedWork.set(resource, (this.queuedWork.get(resource) ?? 0) + entry.estimate);
      }
    }
  }

  get size(): number {
    return this.waiting.length;
  }

  next(): Job<T> | undefined {
    let best: Entry<T> | undefined;
    let bestUrgency = -1;
    for (const entry of this.waiting) {
      if (!this.isRunnable(entry)) continue;
      const urgency = this.urgency(entry);
      if (urgency > bestUrgency) {
        best = entry;
        bestUrgency = urgency;
      }
    }
    if (!best) return undefined;
    const chosen = best;
    for (const entry of this.waiting) {
      if (entry !== chosen && entry.job.resources.length > 0 && !this.isRunnable(entry) && this.urgency(entry) >= bestUrgency) {
        this.passOver(entry);
      }
    }
    this.waiting.splice(this.waiting.indexOf(chosen), 1);
    for (const resource of chosen.job.resources) {
      this.held.add(resource);
      this.queuedWork.set(resource, (this.queuedWork.get(resource) ?? 0) - chosen.estimate);
      if (this.reserved.get(resource) === chosen) this.reserved.delete(resource);
    }
    return chosen.job;
  }

  release(job: Job<T>): void {
    for (const resource of job.resources) this.held.delete(resource);
  }

  private isRunnable(entry: Entry<T>): boolean {
    return entry.job.resources.every((r) => !this.held.has(r) && (this.reserved.get(r) ?? entry) === entry);
  }

  private urgency(entry: Entry<T>): number {
    let urgency = entry.estimate;
    for (const resource of entry.job.resources) urgency = Math.max(urgency, this.queuedWork.get(resource) ?? 0);
    // Earlier in Jest's order wins a tie: a tiny bias that never outweighs a millisecond of work.
    return urgency - entry.order * 1e-9;
  }

  private passOver(entry: Entry<T>): void {
    entry.passedOver++;
    if (entry.passedOver < PASS_OVER_LIMIT) return;
    for (const resource of entry.job.resources) if (!this.reserved.has(resource)) this.reserved.set(resource, entry);
  }
}
