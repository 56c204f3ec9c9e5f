// Reads the findings files the hygiene environment wrote into a fixture copy (no reporter configured).

import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../core/findings';
import type { FindingsFile } from '../io/findingsChannel';

export function findingsDir(dir: string): string {
  return path.join(dir, '.flakeguard', 'findings');
}

export function readFindings(dir: string): Finding[] {
  const folder = findingsDir(dir);
  if (!fs.existsSync(folder)) return [];
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => (JSON.parse(fs.readFileSync(path.join(folder, name), 'utf8')) as FindingsFile).findings);
}

/** `check | file name | titles` per finding, sorted: what the specs compare. */
export function summary(findings: Finding[]): string[] {
  return findings.map((finding) => `${finding.check} | ${path.basename(finding.file)} | ${finding.titles.join(' › ')}`).sort();
}

export function ofFile(findings: Finding[], fileName: string): Finding[] {
  return findings.filter((finding) => path.basename(finding.file) === fileName);
}
