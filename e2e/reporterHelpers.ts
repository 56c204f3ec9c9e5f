// Helpers for the reporter, rerun and merge specs: read what the reporter wrote and what the fixtures counted.

import * as fs from 'fs';
import * as path from 'path';
import type { Manifest } from '../core/manifest';

export function readManifestJson(dir: string, file = '.flakeguard/last-run.json'): Manifest {
  return JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Manifest;
}

/** How many times a fixture test ran (the fixtures' counter.js), across every Jest run in that copy. */
export function attempts(dir: string, name: string): number {
  const file = path.join(dir, '.counters', encodeURIComponent(name));
  return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
}

/** Lines starting with `flakeguard` (our blocks and warnings), without Jest's output around them. */
export function flakeguardLines(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('flakeguard'));
}
