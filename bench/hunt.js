// `flakeguard hunt` in figures, measured with real Jest in one run (asserts nothing; run after `npm run build`):
// A. runs needed to expose a planted ~5 % timing flake, calm vs `--stress cpu` (real busy processes, no simulation);
// B. runs bisection needs to name a polluter among N tests that ran before its victim, vs running every pair.
// node bench/hunt.js   (BENCH_TIMING_TESTS, BENCH_TIMING_RUNS, BENCH_BISECT_N to change the sizes; BENCH_PARTS=B for one part)
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const flakeguard = path.join(root, 'dist', 'cli', 'flakeguard.js');
const scratch = path.join(root, '.e2e-tmp', 'bench-hunt');

const TIMING_TESTS = Number(process.env.BENCH_TIMING_TESTS || 40);
const TIMING_RUNS = Number(process.env.BENCH_TIMING_RUNS || 6);
const BISECT_N = (process.env.BENCH_BISECT_N || '8,32,128').split(',').map(Number);

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

function project(name, files) {
  const dir = path.join(scratch, name);
  fs.rmSync(dir, { recursive: true, force: true });
  write(path.join(dir, 'package.json'), JSON.stringify({ name: `bench-hunt-${name}`, private: true }));
  write(path.join(dir, 'jest.config.js'), "module.exports = { runner: 'jest-flakeguard/runner', testEnvironment: 'node' };\n");
  for (const [file, text] of Object.entries(files)) write(path.join(dir, file), text);
  return dir;
}

function run(script, args, cwd, env = {}) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return result;
}

function hunt(dir, args) {
  const result = run(flakeguard, ['hunt', ...args, '--cacheDirectory', path.join(dir, '.jest-cache')], dir);
  if (result.status === 2) throw new Error(`flakeguard hunt failed: ${result.stderr.split('\n').filter(Boolean).pop()}`);
  return JSON.parse(fs.readFileSync(path.join(dir, '.flakeguard', 'hunt.json'), 'utf8'));
}

/** Runs to expose a flake of rate p with 95 % probability: the smallest n with (1 − p)^n ≤ 0.05. */
const runsToExpose = (p) => (p <= 0 ? Infinity : p >= 1 ? 1 : Math.ceil(Math.log(0.05) / Math.log(1 - p)));
const pct = (x) => `${(x * 100).toFixed(1)} %`;

// ---------------------------------------------------------------------------------------------------------------
// A. The timing flake: each test times a fixed piece of CPU work against a deadline set at the 95th percentile of
// the same work measured calm (in Jest, first), so ≈ 5 % of calm attempts miss it.

const timingTest = `
const fs = require('fs');
const path = require('path');
const deadline = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'deadline.json'), 'utf8')).ms;
const measured = [];
function work() {
  const start = process.hrtime.bigint();
  let x = 0;
  for (let i = 0; i < 4e6; i++) x = (x + i * 7) % 1000003;
  return [Number(process.hrtime.bigint() - start) / 1e6, x];
}
afterAll(() => {
  if (process.env.BENCH_CALIBRATE) {
    const file = process.env.BENCH_CALIBRATE;
    fs.writeFileSync(file + '.tmp', JSON.stringify(measured));
    fs.renameSync(file + '.tmp', file);
  }
});
for (let i = 0; i < ${TIMING_TESTS}; i++) {
  test('batch ' + i + ' meets its deadline', () => {
    const [ms] = work();
    measured.push(ms);
    expect(ms).toBeLessThan(deadline);
  });
}
`;

function timingBench() {
  const dir = project('timing', { '__tests__/timing.test.js': timingTest, 'deadline.json': JSON.stringify({ ms: 1e9 }) });
  const samples = [];
  for (let round = 0; round < 3; round++) {
    const out = path.join(dir, `calibration-${round}.json`);
    const result = run(jest, ['--ci', '--cacheDirectory', path.join(dir, '.jest-cache')], dir, { BENCH_CALIBRATE: out });
    if (result.status !== 0) throw new Error(`calibration failed: ${result.stderr.slice(-500)}`);
    samples.push(...JSON.parse(fs.readFileSync(out, 'utf8')));
  }
  samples.sort((a, b) => a - b);
  const deadline = samples[Math.floor(samples.length * 0.95)];
  write(path.join(dir, 'deadline.json'), JSON.stringify({ ms: deadline }));
  console.log(`A. timing flake: ${TIMING_TESTS} tests, deadline ${deadline.toFixed(1)} ms = the calm 95th percentile of ${samples.length} timings`);

  // Never settle early (a tiny rate): every run counts. Calm hunt, then a stressed one (every second run stressed).
  const tally = (report, stressed) =>
    report.tests.reduce(
      (sum, test) => ({ runs: sum.runs + test[stressed ? 'stressed' : 'calm'].runs, failures: sum.failures + test[stressed ? 'stressed' : 'calm'].failures }),
      { runs: 0, failures: 0 },
    );
  const calmReport = hunt(dir, ['--runs', String(TIMING_RUNS), '--rate', '0.001', '--seed', '1', '--count-only']);
  const stressReport = hunt(dir, ['--runs', String(TIMING_RUNS * 2), '--rate', '0.001', '--seed', '1', '--stress', 'cpu', '--count-only']);
  const calm = tally(calmReport, false);
  const calmInStressHunt = tally(stressReport, false);
  const stressed = tally(stressReport, true);
  const pCalm = (calm.failures + calmInStressHunt.failures) / (calm.runs + calmInStressHunt.runs);
  const pStressed = stressed.failures / stressed.runs;
  const nCalm = runsToExpose(pCalm);
  const nStressed = runsToExpose(pStressed);
  console.log(
    `   calm:     ${calm.failures + calmInStressHunt.failures}/${calm.runs + calmInStressHunt.runs} test runs failed (${pct(pCalm)}) → ${nCalm} runs to expose one test with 95 % probability`,
  );
  console.log(`   stressed: ${stressed.failures}/${stressed.runs} test runs failed (${pct(pStressed)}) → ${nStressed} runs`);
  console.log(`   ratio: --stress cpu needs ${(nStressed / nCalm).toFixed(2)} × the runs (${(nCalm / nStressed).toFixed(1)} × fewer)`);
}

// ---------------------------------------------------------------------------------------------------------------
// B. Bisection: N tests run before the victim in one file; one of them (at a seeded position) pollutes a
// module-level flag. Every-pair search runs each candidate with the victim: N runs (N/2 on average to hit it).

function bisectBench() {
  console.log('B. culprit search: probe runs to name the polluter among N tests that ran before the victim');
  const rows = [];
  for (const n of BISECT_N) {
    const polluter = Math.floor(n * 0.618); // a fixed position inside the prefix, not at either end
    let body = 'const state = { polluted: false };\n';
    for (let i = 0; i < n; i++) {
      body += i === polluter ? `test('step ${i}', () => { state.polluted = true; });\n` : `test('step ${i}', () => { expect(i0()).toBe(0); });\n`;
    }
    body += "function i0() { return 0; }\ntest('victim', () => { expect(state.polluted).toBe(false); });\n";
    const dir = project(`bisect-${n}`, { '__tests__/od.test.js': body });
    // One run settles everything (rate 0.9): the victim fails in Jest's order; then it is classified.
    const report = hunt(dir, ['--runs', '1', '--rate', '0.9', '--seed', '1']);
    const victim = report.tests.find((test) => test.titles[0] === 'victim');
    const named = victim.culprits.map((c) => c.titles.join(' > ')).join(', ');
    const searched = Number(/in (\d+) probes/.exec(victim.evidence.find((line) => line.startsWith('searched')) || '')?.[1] || NaN);
    rows.push({ n, probes: victim.probes, searched, named, right: named === `step ${polluter}` });
  }
  for (const row of rows) {
    console.log(
      `   N = ${String(row.n).padStart(3)}: polluter ${row.right ? 'named' : 'NOT named'} (${row.named || 'none'}); ` +
        `search ${row.searched} probes, ${row.probes} with the alone and confirmation runs; every pair: ${row.n} → ` +
        `${(row.n / row.probes).toFixed(1)} × fewer runs (${(row.n / row.searched).toFixed(1)} × for the search alone)`,
    );
  }
}

fs.mkdirSync(scratch, { recursive: true });
try {
  const parts = (process.env.BENCH_PARTS || 'A,B').split(',');
  if (parts.includes('A')) timingBench();
  if (parts.includes('B')) bisectBench();
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
