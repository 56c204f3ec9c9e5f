// Flake history and report at scale: 10,000 tests × 200 runs. Prints figures; asserts nothing.
// Goal (issue 5): `flakeguard report` over this history in ≤ 2 s. Run after `npm run build`: node bench/report.js
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const dist = path.join(__dirname, '..', 'dist');
const { recordRun, writeHistory, readHistory } = require(path.join(dist, 'io', 'historyFile.js'));
const { buildReport } = require(path.join(dist, 'core', 'flakeStats.js'));

const TESTS = Number(process.env.BENCH_TESTS || 10_000);
const RUNS = Number(process.env.BENCH_RUNS || 200);
const PER_FILE = 20;

// Deterministic pseudo-random numbers (mulberry32), so every run of the bench measures the same history.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const tests = [];
for (let i = 0; i < TESTS; i++) {
  const file = `src/module-${String(Math.floor(i / PER_FILE)).padStart(4, '0')}/feature.test.ts`;
  tests.push({ project: null, file, titles: [`feature ${i % 7}`, `behaves in case ${i}`] });
}
// 2% flaky (retried into green 20% of the time, red 5%), 0.5% broken, 1% skipped, the rest always green.
const kind = tests.map(() => {
  const r = rand();
  return r < 0.02 ? 'flaky' : r < 0.025 ? 'broken' : r < 0.035 ? 'skipped' : 'green';
});
function outcomeCode(i) {
  switch (kind[i]) {
    case 'flaky': {
      const r = rand();
      return r < 0.2 ? 'K' : r < 0.25 ? 'F' : 'P';
    }
    case 'broken':
      return 'F';
    case 'skipped':
      return 'S';
    default:
      return 'P';
  }
}

const runs = [];
const start = Date.parse('2026-06-01T00:00:00Z');
for (let r = 0; r < RUNS; r++) {
  let outcomes = '';
  for (let i = 0; i < TESTS; i++) outcomes += outcomeCode(i);
  runs.push({ id: `run-${r}`, startedAt: new Date(start + r * 3_600_000).toISOString(), outcomes });
}
const history = { schemaVersion: 1, tests, runs };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flakeguard-bench-report-'));
const historyDir = path.join(dir, '.flakeguard', 'history');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

try {
  writeHistory(historyDir, history);
  const file = path.join(historyDir, 'history.json.gz');
  const gz = fs.statSync(file).size;
  const raw = zlib.gunzipSync(fs.readFileSync(file)).length;
  console.log(`history: ${TESTS} tests × ${RUNS} runs — ${kb(gz)} on disk (gzip), ${kb(raw)} as JSON`);

  // One more run through the reporter's call: read, append, bound to 200, write — three times, the median.
  const times = [];
  for (let k = 0; k < 3; k++) {
    const next = {
      runId: `next-${k}`,
      startedAt: new Date(start + (RUNS + k) * 3_600_000).toISOString(),
      tests: tests.map((t, i) => ({ ...t, outcome: { P: 'passed', F: 'failed', K: 'flaky', S: 'skipped' }[outcomeCode(i)] })),
    };
    const t0 = process.hrtime.bigint();
    recordRun(historyDir, next, { limit: RUNS });
    times.push(ms(t0));
  }
  times.sort((a, b) => a - b);
  console.log(`recordRun (read + append + bound + atomic write): median ${times[1].toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);

  let t0 = process.hrtime.bigint();
  const loaded = readHistory(historyDir);
  const readMs = ms(t0);
  t0 = process.hrtime.bigint();
  const report = buildReport(loaded, () => false);
  console.log(
    `in process: readHistory ${readMs.toFixed(0)} ms, buildReport ${ms(t0).toFixed(0)} ms (${report.top.length} top, ${report.quarantineCandidates.length} quarantine candidates)`,
  );

  const cli = path.join(dist, 'cli', 'flakeguard.js');
  for (const args of [[], ['--json'], ['--markdown']]) {
    t0 = process.hrtime.bigint();
    const result = spawnSync(process.execPath, [cli, 'report', ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    const wall = ms(t0);
    if (result.status !== 0) throw new Error(`report ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    console.log(`flakeguard report ${args.join(' ') || '(text)'}: ${wall.toFixed(0)} ms wall, process start included (goal ≤ 2000 ms), ${kb(result.stdout.length)} of output`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
