// Helpers for the reporter, rerun and merge specs: read what the reporter wrote and what the fixtures counted.

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Manifest } from '../core/manifest';
import { childEnv, JEST_BIN, type RunResult } from './harness';

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

/**
 * Starts `jest <args>` in `dir`, sends it SIGINT (Ctrl-C) once `marker` appears in `dir` (and `ready()` holds),
 * and waits for it to end (a Jest still running 4 minutes after its start is killed: signal SIGKILL).
 */
export function runJestInterrupted(
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  marker: string,
  ready: () => boolean = () => true,
): Promise<RunResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST_BIN, '--cacheDirectory', path.join(dir, '.jest-cache'), ...args], {
      cwd: dir,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const poll = setInterval(() => {
      if (fs.existsSync(path.join(dir, marker)) && ready()) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 100);
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

/**
 * `jest --watchAll` in `dir`, stopped `settleMs` after its first run ends (or after 90 s): how many runs it started.
 * A watch loop shows up as more than one run.
 */
export function watchAllOnce(dir: string, env: NodeJS.ProcessEnv, settleMs = 4000, mode = '--watchAll'): Promise<{ runs: number; stderr: string }> {
  // A run ends with Jest's "Ran all test suites" line, or, under --watch on a clean tree, with "No tests found".
  const ends = /Ran all test suites|No tests found related to files changed/g;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JEST_BIN, '--cacheDirectory', path.join(dir, '.jest-cache'), mode], {
      cwd: dir,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let settling: NodeJS.Timeout | undefined;
    const stop = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const onOutput = (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!settling && new RegExp(ends.source).test(stderr)) settling = setTimeout(() => child.kill('SIGKILL'), settleMs);
    };
    // Jest prints "No tests found" on stdout, the rest on stderr: both, in arrival order.
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(stop);
      if (settling) clearTimeout(settling);
      resolve({ runs: (stderr.match(ends) ?? []).length, stderr });
    });
  });
}
