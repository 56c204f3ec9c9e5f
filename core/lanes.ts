// Splits test files into lanes by their pragmas and says how a run was split, in one line.

import type { LaneSpec } from './pragmas';

export interface LaneFile<T> {
  item: T;
  spec: LaneSpec;
}

export interface LanePlan<T> {
  /** Files that run in the worker pool together: the parallel lane and the resource groups. */
  pool: LaneFile<T>[];
  /** `@serial` files: one at a time, after the pool has drained, with nothing else running. */
  exclusive: LaneFile<T>[];
}

export interface LaneSummary {
  parallel: number;
  serial: number;
  grouped: number;
  /** Files per resource, by resource name. */
  resources: Array<[resource: string, files: number]>;
}

export function planLanes<T>(files: ReadonlyArray<LaneFile<T>>): LanePlan<T> {
  const plan: LanePlan<T> = { pool: [], exclusive: [] };
  for (const file of files) (file.spec.lane === 'serial' ? plan.exclusive : plan.pool).push(file);
  return plan;
}

/**
 * Workers the pool needs: the pool lane may use up to `maxWorkers` at once; the serial lane, run after it in
 * the same pool, needs one. More would be processes started only to idle.
 */
export function poolWorkers<T>(plan: LanePlan<T>, maxWorkers: number): number {
  return Math.max(1, Math.min(maxWorkers, plan.pool.length));
}

/** In-band order: parallel lane first, then resource groups, then the exclusive lane. */
export function inBandOrder<T>(files: ReadonlyArray<LaneFile<T>>): LaneFile<T>[] {
  const rank = { parallel: 0, resources: 1, serial: 2 } as const;
  return files
    .map((file, index) => ({ file, index }))
    .sort((a, b) => rank[a.file.spec.lane] - rank[b.file.spec.lane] || a.index - b.index)
    .map(({ file }) => file);
}

export function summarizeLanes(specs: ReadonlyArray<LaneSpec>): LaneSummary {
  const summary: LaneSummary = { parallel: 0, serial: 0, grouped: 0, resources: [] };
  const counts = new Map<string, number>();
  for (const spec of specs) {
    if (spec.lane === 'parallel') summary.parallel++;
    else if (spec.lane === 'serial') summary.serial++;
    else {
      summary.grouped++;
      for (const resource of spec.resources) counts.set(resource, (counts.get(resource) ?? 0) + 1);
    }
  }
  summary.resources = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return summary;
}

/** `flakeguard: 112 parallel · 6 serial · 5 in resource groups (db ×3, port-4100 ×2)` */
export function formatLaneSummary(summary: LaneSummary): string {
  const parts = [`${summary.parallel} parallel`, `${summary.serial} serial`];
  if (summary.grouped > 0) {
    const groups = summary.resources.map(([name, files]) => `${name} ×${files}`).join(', ');
    parts.push(`${summary.grouped} in resource groups (${groups})`);
  } else {
    parts.push('0 in resource groups');
  }
  return `flakeguard: ${parts.join(' · ')}`;
}
