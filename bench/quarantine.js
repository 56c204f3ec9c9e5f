#!/usr/bin/env node
// `node bench/quarantine.js [rounds]`: what a large quarantine costs a run. Real Jest on 40 files × 10 tests
// through withFlakeguard, `--selectProjects stable` then `--selectProjects flaky`, once with a quarantine of 20
// entries (10 tests and 10 whole files, all present) and once with 100,000 entries (the same 20, plus 50,000
// naming titles those 10 files do not have and 49,980 naming files that are gone), alternating, side by side.
// Goal: the 100,000-entry run within 1.2 × the small one, and its terminal output a screenful, not 100,000 lines.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const rounds = Number(process.argv[2] ?? 3);
const FILES = 40;
const TESTS = 10;
const BIG = 100_000;

if (!fs.existsSync(path.join(root, 'dist', 'config', 'index.js'))) {
  console.error('bench/quarantine: build first (npm run build)');
  process.exit(2);
}
fs.mkdirSync(path.join(root, '.e2e-tmp'), { recursive: true });
const base = fs.mkdtempSync(path.join(root, '.e2e-tmp', 'bench-quarantine-'));

/** One project directory: the same test files, its own quarantine. */
function project(name, entries) {
  const dir = path.join(base, name);
  fs.mkdirSync(path.join(dir, '__tests__'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.flakeguard'), { recursive: true });
  for (let f = 0; f < FILES; f++) {
    const body = Array.from({ length: TESTS }, (_, t) => `test('t${t}', () => { expect(${t} + 1).toBe(${t + 1}); });`).join('\n');
    fs.writeFileSync(path.join(dir, '__tests__', `f${f}.test.js`), `${body}\n`);
  }
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "bench-quarantine", "private": true }\n');
  fs.writeFileSync(
    path.join(dir, 'jest.config.js'),
    `const { withFlakeguard } = require(${JSON.stringify(path.join(root, 'dist', 'config', 'index.js'))});\n` +
      `module.exports = withFlakeguard({ testEnvironment: 'node' }, { retries: 0, rootDir: __dirname });\n`,
  );
  fs.writeFileSync(path.join(dir, '.flakeguard', 'quarantine.json'), JSON.stringify({ schemaVersion: 1, entries }));
  return dir;
}

const entry = (file, titles) => ({ file, ...(titles ? { titles } : {}), reason: 'bench', added: '2026-12-01' });
const real = [
  ...Array.from({ length: 10 }, (_, i) => entry(`__tests__/f${i}.test.js`, [`t${i}`])),
  ...Array.from({ length: 10 }, (_, i) => entry(`__tests__/f${FILES - 1 - i}.test.js`)),
];
// In the files that already have a quarantined test (f0…f9): both runs of `flaky` load the same 20 files.
const unknownTitles = Array.from({ length: BIG / 2 }, (_, i) => entry(`__tests__/f${i % 10}.test.js`, ['gone', `t${i}`]));
const goneFiles = Array.from({ length: BIG - real.length - unknownTitles.length }, (_, i) => entry(`gone/g${i}.test.js`));
const dirs = { small: project('small', real), big: project('big', [...real, ...unknownTitles, ...goneFiles]) };

function run(name) {
  const started = process.hrtime.bigint();
  let lines = 0;
  for (const select of ['stable', 'flaky']) {
    const result = spawnSync(process.execPath, [jest, '--ci', '--maxWorkers=2', '--selectProjects', select, '--cacheDirectory', path.join(base, `.jest-cache-${name}`)], {
      cwd: dirs[name],
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
      maxBuffer: 1 << 30,
    });
    if (result.status !== 0) {
      console.error(result.stderr.slice(-2000));
      throw new Error(`jest (${name}, ${select}) exited ${result.status}`);
    }
    lines += (result.stdout + result.stderr).split('\n').length;
  }
  return { wall: Number(process.hrtime.bigint() - started) / 1e9, lines };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

if (process.env.BENCH_ONLY_GENERATE) {
  console.log(path.relative(root, base));
  process.exit(0);
}
try {
  console.log(`bench/quarantine: ${FILES} files × ${TESTS} tests, stable + flaky, quarantine of ${real.length} vs ${BIG} entries, ${rounds} rounds`);
  run('small');
  run('big'); // warm both transform caches, uncounted
  const times = { small: [], big: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const name of round % 2 ? ['small', 'big'] : ['big', 'small']) times[name].push(run(name));
    console.log(`round ${round}: ${real.length} entries ${times.small.at(-1).wall.toFixed(2)} s · ${BIG} entries ${times.big.at(-1).wall.toFixed(2)} s`);
  }
  const small = median(times.small.map((t) => t.wall));
  const big = median(times.big.map((t) => t.wall));
  const paired = median(times.small.map((t, i) => times.big[i].wall / t.wall));
  console.log(`median wall: ${small.toFixed(2)} s vs ${big.toFixed(2)} s · ratio ${(big / small).toFixed(3)} · median of per-round ratios ${paired.toFixed(3)} (goal ≤ 1.2)`);
  console.log(`output lines (both runs): ${times.small[0].lines} vs ${times.big[0].lines}`);
} finally {
  if (process.env.BENCH_KEEP) console.log(`kept: ${path.relative(root, base)}`);
  else fs.rmSync(base, { recursive: true, force: true });
}
