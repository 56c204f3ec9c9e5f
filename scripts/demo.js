// `npm run demo`: runs the demo suite in fixtures/demo through jest-flakeguard and shows what happened.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const demo = path.join(root, 'fixtures', 'demo');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');

const say = (text) => console.log(`\n\x1b[1m▶ ${text}\x1b[0m`);

/** A fresh start: no timeline, no state, no cached timings. */
function reset() {
  for (const name of ['.timeline', '.state', '.flakeguard', '.jest-cache']) fs.rmSync(path.join(demo, name), { recursive: true, force: true });
}

function jestRun(args) {
  // Three workers even on a 2-core machine, so the parallel lane is visible.
  const run = spawnSync(process.execPath, [jest, '--maxWorkers=3', '--cacheDirectory', path.join(demo, '.jest-cache'), ...args], { cwd: demo, stdio: 'inherit' });
  return run.status ?? 1;
}

/** A text Gantt chart of the run: one row per file, its lane, its worker, and when it ran. */
function drawTimeline() {
  const dir = path.join(demo, '.timeline');
  const entries = fs.readdirSync(dir).map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
  const { parsePragmas } = require(path.join(root, 'dist', 'core', 'pragmas.js'));
  const lane = (file) => {
    const { spec } = parsePragmas(fs.readFileSync(path.join(demo, '__tests__', file), 'utf8'), file);
    return spec.lane === 'resources' ? `group ${spec.resources.join(',')}` : spec.lane;
  };
  const t0 = Math.min(...entries.map((e) => e.start));
  const t1 = Math.max(...entries.map((e) => e.end));
  const width = 48;
  const col = (t) => Math.round(((t - t0) / (t1 - t0)) * width);
  entries.sort((a, b) => a.start - b.start);
  console.log(`  ${'lane'.padEnd(12)} ${'file'.padEnd(20)} ${'worker'.padEnd(6)} 0 s ${'─'.repeat(width - 10)} ${((t1 - t0) / 1000).toFixed(1)} s`);
  for (const e of entries) {
    const bar = ' '.repeat(col(e.start)) + '█'.repeat(Math.max(1, col(e.end) - col(e.start)));
    console.log(`  ${lane(e.file).padEnd(12)} ${e.file.padEnd(20)} ${String(e.worker).padEnd(6)} ${bar}`);
  }
}

reset();
say('Running the demo suite with runner: jest-flakeguard/runner');
const status = jestRun([]);
say('How the files ran: the store files never overlap each other, but do overlap the parallel lane; migrate runs alone, last');
drawTimeline();
process.exitCode = status;
