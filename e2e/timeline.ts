// Reads what the fixture files recorded about when and where they ran, and answers overlap questions.

import * as fs from 'fs';
import * as path from 'path';

export interface Interval {
  file: string;
  pid: number;
  workerId: string | undefined;
  start: number;
  end: number;
  /** Resources the file held while it ran, where the fixture records them. */
  resources?: string[];
  /** Which groups of files (by name prefix) the file saw running beside it, where the fixture waits to meet them. */
  met?: string[];
}

export function readTimeline(projectDir: string): Interval[] {
  const dir = path.join(projectDir, '.timeline');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Interval);
}

export function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Every pair among `intervals` that ran at the same time. */
export function overlappingPairs(intervals: readonly Interval[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < intervals.length; i++) {
    for (let j = i + 1; j < intervals.length; j++) {
      if (overlaps(intervals[i]!, intervals[j]!)) pairs.push([intervals[i]!.file, intervals[j]!.file]);
    }
  }
  return pairs;
}
