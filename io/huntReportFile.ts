// Reads and writes the hunt report file (`.flakeguard/hunt.json`; the format is core/huntReport's).

import * as fs from 'fs';
import { FlakeguardError } from '../core/errors';
import { parseHuntReport, serializeHuntReport, type HuntReport } from '../core/huntReport';
import { writeFileAtomic } from './atomicWrite';

export function writeHuntReport(file: string, report: HuntReport): void {
  writeFileAtomic(file, serializeHuntReport(report));
}

export function readHuntReport(file: string): HuntReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new FlakeguardError('NOT_FOUND', 'no hunt report here: run `flakeguard hunt` first', file);
    throw new FlakeguardError('BAD_HUNT_REPORT', `cannot read the hunt report (${code ?? (error as Error).message})`, file);
  }
  return parseHuntReport(text, file);
}
