#!/usr/bin/env node
// Benchmark of the lanes runner: wall time of a synthetic suite under
//   (a) stock jest-runner, everything parallel (unsafe lower bound),
//   (b) the recipe users write today: the parallel subset, then `--runInBand` on the rest,
//   (c) jest-flakeguard,
// side by side in one run, against the ideal schedule computed from per-file work and worker count.
// Also: a suite with no pragmas, stock vs ours; and the pragma scan of 10,000 files, cold and warm.
// Usage: npm run build && node bench/lanes.js [--files 120] [--workers 3] [--rounds 2]
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const FILES = option('files', 120);
const WORKERS = option('workers', 3);
const ROUNDS = option('rounds', 2);
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const { idealMakespan } = require(path.join(root, 'dist', 'core', 'simulate.js'));
const { PragmaCache } = require(path.join(root, 'dist', 'io', 'pragmaCache.js'));

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ≈15% @serial, ≈10% in three resource groups, the rest parallel; uneven durations (a few long files). */
function makeSuite(dir, { pragmas }) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '__tests__'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
  fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node' };\n");
  const random = mulberry32(42);
  const jobs = [];
  for (let i = 0; i < FILES; i++) {
    const roll = random();
    const work = Math.round(random() < 0.1 ? 900 + random() * 900 : 80 + random() * 420);
    const name = `f${String(i).padStart(3, '0')}.test.js`;
    let head = '';
    const job = { name, work };
    if (pragmas && roll < 0.15) {
      head = '/** @serial */\n';
      job.exclusive = true;
    } else if (pragmas && roll < 0.25) {
      const resource = ['db', 'port-4100', 'tmpdir'][i % 3];
      head = `/** @serial ${resource} */\n`;
      job.resources = [resource];
    }
    fs.writeFileSync(path.join(dir, '__tests__', name), `${head}test('work', () => new Promise((resolve) => setTimeout(resolve, ${work})));\n`);
    jobs.push(job);
  }
  return jobs;
}

function runJest(dir, extra) {
  const started = process.hrtime.bigint();
  const workers = extra.includes('--runInBand') ? [] : [`--maxWorkers=${WORKERS}`];
  const run = spawnSync(process.execPath, [jest, '--ci', '--silent', ...workers, '--cacheDirectory', path.join(dir, '.cache'), ...extra], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, JEST_WORKER_ID: '' },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`jest ${extra.join(' ')} failed:\n${run.stderr.slice(-2000)}`);
  return ms;
}

const scratch = path.join(root, '.e2e-tmp', 'bench-lanes');
const mixed = path.join(scratch, 'mixed');
const plain = path.join(scratch, 'plain');
const jobs = makeSuite(mixed, { pragmas: true });
makeSuite(plain, { pragmas: false });
const serialFiles = jobs.filter((job) => job.exclusive || job.resources).map((job) => `__tests__/${job.name}`);
const parallelIgnore = serialFiles.map((file) => file.replace(/\./g, '\\.'));

const configs = {
  'a stock, all parallel': () => runJest(mixed, []),
  'b recipe: parallel, then --runInBand': () =>
    runJest(mixed, ['--testPathIgnorePatterns', ...parallelIgnore]) + runJest(mixed, ['--runInBand', '--runTestsByPath', ...serialFiles]),
  'c jest-flakeguard': () => runJest(mixed, ['--runner', 'jest-flakeguard/runner']),
  'a0 no pragmas, stock': () => runJest(plain, []),
  'c0 no pragmas, jest-flakeguard': () => runJest(plain, ['--runner', 'jest-flakeguard/runner']),
};

console.log(
  `lanes benchmark: ${FILES} files (${jobs.filter((j) => j.exclusive).length} @serial, ${jobs.filter((j) => j.resources).length} in 3 resource groups), ${WORKERS} workers, ${ROUNDS} rounds`,
);
for (const run of Object.values(configs)) run(); // warm-up: fills Jest's timing cache, as a second CI run would have it
const totals = Object.fromEntries(Object.keys(configs).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(configs);
  if (round % 2 === 1) names.reverse(); // alternate the order so drift on a shared machine hits both sides
  for (const name of names) totals[name].push(configs[name]());
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const wall = Object.fromEntries(Object.entries(totals).map(([name, values]) => [name, median(values)]));
const ideal = idealMakespan(jobs, WORKERS);
for (const [name, ms] of Object.entries(wall)) console.log(`  ${name.padEnd(40)} ${(ms / 1000).toFixed(2)} s`);
console.log(`  ${'ideal schedule (work only, no Jest overhead)'.padEnd(40)} ${(ideal / 1000).toFixed(2)} s`);
const overhead =
  wall['a0 no pragmas, stock'] -
  idealMakespan(
    jobs.map(({ name, work }) => ({ name, work })),
    WORKERS,
  );
console.log(`  ${'ideal + Jest overhead (from a0)'.padEnd(40)} ${((ideal + overhead) / 1000).toFixed(2)} s`);
console.log('ratios:');
const goal = (ratio, limit) => `${ratio.toFixed(3)}   (goal ≤ ${limit.toFixed(2)}: ${ratio <= limit ? 'met' : 'NOT met'})`;
console.log(`  c / b      = ${goal(wall['c jest-flakeguard'] / wall['b recipe: parallel, then --runInBand'], 0.85)}`);
// The goal is against the ideal schedule of the work alone; Jest's own start-up and per-file cost
// count against us there. The overhead-adjusted ratio shows how much of the gap the schedule itself leaves.
console.log(`  c / ideal  = ${goal(wall['c jest-flakeguard'] / ideal, 1.1)}`);
console.log(`  c / (ideal + overhead) = ${(wall['c jest-flakeguard'] / (ideal + overhead)).toFixed(3)}   (extra information, not the goal)`);
console.log(`  c0 / a0    = ${goal(wall['c0 no pragmas, jest-flakeguard'] / wall['a0 no pragmas, stock'], 1.02)}`);

// Pragma scan of 10,000 files through the cache.
const many = path.join(scratch, 'many');
fs.rmSync(many, { recursive: true, force: true });
fs.mkdirSync(many, { recursive: true });
const paths = [];
for (let i = 0; i < 10000; i++) {
  const file = path.join(many, `t${i}.test.js`);
  fs.writeFileSync(file, `${i % 7 === 0 ? '/** @serial db */\n' : ''}test('t${i}', () => { expect(${i}).toBe(${i}); });\n`);
  paths.push(file);
}
const cacheDir = path.join(many, '.cache');
// In a run the runner takes mtime and size from Jest's haste map (no stat); `flakeguard lanes` and a cache
// without haste data stat every file. Both are measured.
const stamps = new Map(paths.map((file) => [file, fs.statSync(file)]));
const scan = (useStamps) => {
  const started = process.hrtime.bigint();
  const cache = new PragmaCache(cacheDir);
  for (const file of paths) cache.get(file, useStamps ? stamps.get(file) : undefined);
  cache.save();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, read: cache.readCount };
};
const cold = scan(true);
const warm = [scan(true), scan(true), scan(true)].sort((a, b) => a.ms - b.ms)[1];
const warmStat = [scan(false), scan(false), scan(false)].sort((a, b) => a.ms - b.ms)[1];
console.log(
  `pragma scan of 10,000 files: cold ${cold.ms.toFixed(0)} ms (${cold.read} read); warm ${warm.ms.toFixed(0)} ms with the haste map's stamps (${warm.read} read), ${warmStat.ms.toFixed(0)} ms with a stat per file   (goal warm ≤ 100 ms)`,
);
fs.rmSync(scratch, { recursive: true, force: true });
