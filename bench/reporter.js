#!/usr/bin/env node
// Benchmark of the reporter's end-of-run work: Jest-shaped results for N synthetic tests (1% failed after 3
// attempts, 2% flaky, 3% skipped) go through the reporter's collector (what onTestFileResult does), then the
// manifest is built and serialized and the JUnit report is built — at 25k, 50k and 100k tests, to show the cost is
// linear (time and heap growth per test stay flat). Goal: ≤ 200 ms for 100,000 tests.
// Usage: npm run build && node bench/reporter.js [--tests 100000] [--per-file 100] [--rounds 5]
'use strict';
const path = require('path');
const v8 = require('v8');
const vm = require('vm');

const root = path.resolve(__dirname, '..');
const { RunCollector } = require(path.join(root, 'dist', 'reporter', 'collect.js'));
const { buildManifest } = require(path.join(root, 'dist', 'core', 'runRecord.js'));
const { serializeManifest } = require(path.join(root, 'dist', 'core', 'manifest.js'));
const { junitXml } = require(path.join(root, 'dist', 'core', 'junit.js'));

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const MAX = option('tests', 100_000);
const PER_FILE = option('per-file', 100);
const ROUNDS = option('rounds', 5);
const ROOT_DIR = '/project';

const failure = (file, line) =>
  `Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 2\nReceived: 1\n    at Object.toBe (${file}:${line}:19)\n    at Promise.finally.completed (/project/node_modules/jest-circus/build/jestAdapterInit.js:1834:28)`;

/** Jest's TestResult objects for `count` tests, plus the per-attempt results onTestCaseResult would see. */
function jestResults(count) {
  const files = [];
  for (let start = 0; start < count; start += PER_FILE) {
    const testFilePath = `${ROOT_DIR}/src/module-${start / PER_FILE}/feature.test.ts`;
    const testResults = [];
    const attempts = [];
    for (let i = start; i < Math.min(start + PER_FILE, count); i++) {
      const ancestorTitles = ['feature', `group ${i % 7}`];
      const title = `does thing number ${i} & returns <ok>`;
      let status = 'passed';
      let invocations = 1;
      let failureMessages = [];
      if (i % 100 === 0) {
        status = 'failed';
        invocations = 3;
        failureMessages = [failure(testFilePath, 10 + (i % 50))];
        for (let a = 0; a < 3; a++) attempts.push({ ancestorTitles, title, status: 'failed', failureMessages });
      } else if (i % 50 === 1) {
        invocations = 2;
        attempts.push({ ancestorTitles, title, status: 'failed', failureMessages: [failure(testFilePath, 12)] });
      } else if (i % 33 === 2) {
        status = 'pending';
        invocations = 0;
      }
      testResults.push({
        ancestorTitles,
        title,
        fullName: `${ancestorTitles.join(' ')} ${title}`,
        status,
        invocations,
        failureMessages,
        duration: 3,
        location: null,
        retryReasons: [],
      });
    }
    files.push({
      result: { testFilePath, displayName: undefined, testResults, testExecError: undefined, failureMessage: null, perfStats: { start: 0, end: 300 } },
      attempts,
    });
  }
  return files;
}

function endOfRun(files) {
  const collector = new RunCollector(ROOT_DIR, null);
  for (const { result, attempts } of files) {
    for (const attempt of attempts) collector.attemptFinished(result.testFilePath, attempt);
    collector.fileFinished(null, result, []);
  }
  const run = {
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    jestVersion: '30.5.2',
    shard: null,
    seed: 1,
    interrupted: false,
    otherFailure: false,
    files: collector.files,
    notRun: collector.notRun(undefined),
    findings: collector.findings,
  };
  const t1 = performance.now();
  const manifestJson = serializeManifest(buildManifest(run));
  const t2 = performance.now();
  const xml = junitXml(run.files, { name: 'jest', timestamp: run.startedAt });
  const t3 = performance.now();
  return { manifestBytes: manifestJson.length, junitBytes: xml.length, manifestMs: t2 - t1, junitMs: t3 - t2, keep: [run, manifestJson, xml] };
}

function measure(count) {
  const files = jestResults(count);
  const times = [];
  let last;
  let heapGrowth = 0;
  let retained = 0;
  for (let round = 0; round < ROUNDS; round++) {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const result = endOfRun(files);
    const total = performance.now() - started;
    const heapPeak = process.memoryUsage().heapUsed; // before gc: garbage included
    gc();
    const heapKept = process.memoryUsage().heapUsed; // after gc, results still alive: what the run's records cost
    heapGrowth = Math.max(heapGrowth, heapPeak - heapBefore);
    retained = Math.max(retained, heapKept - heapBefore);
    times.push({ total, collect: total - result.manifestMs - result.junitMs, manifest: result.manifestMs, junit: result.junitMs });
    last = result;
  }
  const median = (key) => times.map((t) => t[key]).sort((a, b) => a - b)[Math.floor(times.length / 2)];
  return {
    count,
    collect: median('collect'),
    manifest: median('manifest'),
    junit: median('junit'),
    total: median('total'),
    heapGrowth,
    retained,
    manifestBytes: last.manifestBytes,
    junitBytes: last.junitBytes,
  };
}

const sizes = [MAX / 4, MAX / 2, MAX].map(Math.round);
measure(Math.min(10_000, MAX)); // warm up the JIT
const rows = sizes.map(measure);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
console.log(`reporter end of run, median of ${ROUNDS} rounds (collect = onTestFileResult for every file; manifest = build + JSON; junit = XML string)`);
console.log('tests     collect   manifest  junit     total     µs/test  heap peak  retained  manifest  junit.xml');
for (const r of rows) {
  console.log(
    `${String(r.count).padEnd(9)} ${r.collect.toFixed(1).padStart(6)} ms ${r.manifest.toFixed(1).padStart(6)} ms ${r.junit.toFixed(1).padStart(6)} ms ${r.total.toFixed(1).padStart(6)} ms ` +
      `${((r.total * 1000) / r.count).toFixed(2).padStart(7)}  ${mb(r.heapGrowth).padStart(6)} MB ${mb(r.retained).padStart(6)} MB  ${mb(r.manifestBytes).padStart(5)} MB  ${mb(r.junitBytes).padStart(6)} MB`,
  );
}
const [quarter, , full] = rows;
console.log(
  `linearity: 4× the tests took ${(full.total / quarter.total).toFixed(2)}× the time, ${(full.heapGrowth / quarter.heapGrowth).toFixed(2)}× the peak heap, ` +
    `${(full.retained / quarter.retained).toFixed(2)}× the retained heap (os load ${require('os').loadavg()[0].toFixed(1)} on ${require('os').cpus().length} cores)`,
);
const withoutJunit = full.collect + full.manifest;
console.log(
  `goal ≤ 200 ms at ${full.count}: manifest path ${withoutJunit.toFixed(0)} ms (${withoutJunit <= 200 ? 'met' : 'missed'}), with JUnit ${full.total.toFixed(0)} ms (${full.total <= 200 ? 'met' : 'missed'})`,
);
