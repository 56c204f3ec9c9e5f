#!/usr/bin/env node
// `node bench/suite.js --against <checkout> [--rounds N] [-- <jest args>]`: our own suite's wall time beside another
// checkout's (an older commit, with its node_modules installed), the two run one after the other in each round, the
// order swapped every round, so both see the same machine. Prints seconds, tests and the ratio this/other per round
// and overall. Without --against it says so and skips (as `npm run bench` runs every bench without arguments).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { parseArgs } = require('util');

const here = path.resolve(__dirname, '..');
const separator = process.argv.indexOf('--', 2);
const own = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const jestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
const { values } = parseArgs({ args: own, options: { against: { type: 'string' }, rounds: { type: 'string', default: '1' } } });
if (!values.against) {
  console.log('bench/suite: needs --against <checkout of another commit, with node_modules>; skipped');
  process.exit(0);
}
const other = path.resolve(values.against);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error('bench/suite: --rounds must be a whole number ≥ 1');
  process.exit(2);
}
for (const dir of [here, other]) {
  if (!fs.existsSync(path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'))) {
    console.error(`bench/suite: ${dir} has no node_modules/jest: run npm ci there first`);
    process.exit(2);
  }
}

/** Builds `dir` and runs its Jest suite as `npm test` does; returns wall seconds, exit status and the counts. */
function runSuite(dir) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error(`bench/suite: the build failed in ${dir}`);
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-suite-')), 'report.json');
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${report}`, ...jestArgs], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'ignore'],
    env: { ...process.env, CI: 'true' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let tests = NaN;
  let failed = NaN;
  try {
    const json = JSON.parse(fs.readFileSync(report, 'utf8'));
    tests = json.numTotalTests;
    failed = json.numFailedTests + json.numRuntimeErrorTestSuites;
  } catch {
    // no report: the figures say NaN
  }
  fs.rmSync(path.dirname(report), { recursive: true, force: true });
  return { seconds, status: run.status, tests, failed };
}

const label = (dir) => (dir === here ? 'this' : 'other');
const totals = { this: 0, other: 0 };
console.log(`bench/suite: this = ${here}\n             other = ${other}`);
for (let round = 1; round <= rounds; round++) {
  const order = round % 2 === 1 ? [other, here] : [here, other];
  const results = {};
  for (const dir of order) {
    const result = runSuite(dir);
    results[label(dir)] = result;
    totals[label(dir)] += result.seconds;
    console.log(
      `round ${round} ${label(dir).padEnd(5)} ${result.seconds.toFixed(1).padStart(7)} s  ${result.tests} tests, ${result.failed} failed (exit ${result.status}), ${(result.seconds / result.tests).toFixed(2)} s per test, load ${os.loadavg()[0].toFixed(1)}`,
    );
  }
  console.log(`round ${round} ratio this/other ${(results.this.seconds / results.other.seconds).toFixed(2)}`);
}
console.log(`bench/suite: ${rounds} round(s), wall this/other ${(totals.this / totals.other).toFixed(2)} (${totals.this.toFixed(0)} s vs ${totals.other.toFixed(0)} s)`);
