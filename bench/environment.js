// `node bench/environment.js [rounds]`: wall time of real Jest on ~50 files × 200 small tests under
// jest-environment-node and under jest-flakeguard/environment (the built dist/), alternating, side by side.
// Goal: flakeguard ≤ 1.05 × node. Prints wall time and the Jest process's CPU time (user + system, measured
// inside it): on a shared machine the CPU time is the steadier figure.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { generate } = require('./environment-generate');

const root = path.resolve(__dirname, '..');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const rounds = Number(process.argv[2] ?? 3);
const files = Number(process.env.BENCH_FILES ?? 50);
const tests = Number(process.env.BENCH_TESTS ?? 200);

if (!fs.existsSync(path.join(root, 'dist', 'environment', 'index.js'))) {
  console.error('bench/environment: build first (npm run build)');
  process.exit(2);
}
fs.mkdirSync(path.join(root, '.e2e-tmp'), { recursive: true });
const dir = fs.mkdtempSync(path.join(root, '.e2e-tmp', 'bench-environment-'));
generate(dir, { files, tests });

// Preloaded into the Jest process: writes its own CPU time when it exits.
const cpuProbe = path.join(dir, 'cpu-probe.js');
const cpuFile = path.join(dir, 'cpu-time');
fs.writeFileSync(
  cpuProbe,
  `process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(${JSON.stringify(cpuFile)}, String((u.user + u.system) / 1e6)); });\n`,
);

function run(name) {
  fs.rmSync(cpuFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(
    process.execPath,
    ['--require', cpuProbe, jest, '--config', path.join(dir, `jest.${name}.config.js`), '--ci', '--runInBand', '--silent', '--cacheDirectory', path.join(dir, '.jest-cache')],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    console.error(result.stderr.slice(-2000));
    throw new Error(`jest (${name}) exited ${result.status}`);
  }
  return { wall, cpu: Number(fs.readFileSync(cpuFile, 'utf8')) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

try {
  console.log(`bench/environment: ${files} files × ${tests} tests, ${rounds} rounds, --runInBand, in ${path.relative(root, dir)}`);
  // Warm the transform cache for both, uncounted.
  run('node');
  run('flakeguard');
  const times = { node: [], flakeguard: [] };
  const show = ({ wall, cpu }) => `${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s cpu`;
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 ? ['node', 'flakeguard'] : ['flakeguard', 'node'];
    for (const name of order) times[name].push(run(name));
    console.log(`round ${round}: node ${show(times.node.at(-1))} · flakeguard ${show(times.flakeguard.at(-1))}`);
  }
  for (const measure of ['wall', 'cpu']) {
    const node = median(times.node.map((t) => t[measure]));
    const flakeguard = median(times.flakeguard.map((t) => t[measure]));
    // Each round's two runs share the machine's load of the moment: their ratio drifts less than the medians.
    const paired = median(times.node.map((t, i) => times.flakeguard[i][measure] / t[measure]));
    console.log(
      `median ${measure}: node ${node.toFixed(2)} s · flakeguard ${flakeguard.toFixed(2)} s · ratio ${(flakeguard / node).toFixed(3)}` +
        ` · median of per-round ratios ${paired.toFixed(3)} (goal ≤ 1.05)`,
    );
  }
  const findings = path.join(dir, '.flakeguard', 'findings');
  if (fs.existsSync(findings) && fs.readdirSync(findings).length > 0) console.log('note: the clean benchmark suite produced findings');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
