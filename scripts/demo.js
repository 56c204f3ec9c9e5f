// `npm run demo`: the demo suite in fixtures/demo, through jest-flakeguard, in four steps:
//   1. the required check (`jest --selectProjects stable`): lanes at work, a leaked spy caught and isolated,
//      a timing test failing as it does under CI contention;
//   2. what the run left: the rerun manifest .flakeguard/last-run.json;
//   3. `flakeguard rerun`: exactly the failed test again, and it passes;
//   4. the quarantine (`jest --selectProjects flaky`): a quarantined flaky test rescued by a retry.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const demo = path.join(root, 'fixtures', 'demo');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const flakeguard = path.join(root, 'dist', 'cli', 'flakeguard.js');
const bold = (text) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const say = (text) => console.log(`\n${bold(`▶ ${text}`)}`);

/** A fresh start: no timeline, counters, manifest or cached timings from an earlier demo. */
function reset() {
  for (const name of ['.timeline', '.state', '.flakeguard', '.jest-cache']) fs.rmSync(path.join(demo, name), { recursive: true, force: true });
}

function run(script, args) {
  return spawnSync(process.execPath, [script, ...args], { cwd: demo, stdio: 'inherit' }).status ?? 1;
}

// Three workers even on a 2-core machine, so the parallel lane is visible.
const jestArgs = ['--maxWorkers=3', '--cacheDirectory', path.join(demo, '.jest-cache')];

/** A text Gantt chart of the run: one row per file, its lane, its worker, and when it ran. */
function drawTimeline() {
  const dir = path.join(demo, '.timeline');
  const entries = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
  const { parsePragmas } = require(path.join(root, 'dist', 'core', 'pragmas.js'));
  const { jestDocblock } = require(path.join(root, 'dist', 'io', 'jestHost.js'));
  const lane = (file) => {
    const { spec } = parsePragmas(fs.readFileSync(path.join(demo, '__tests__', file), 'utf8'), file, jestDocblock());
    return spec.lane === 'resources' ? `group ${spec.resources.join(',')}` : spec.lane;
  };
  const t0 = Math.min(...entries.map((e) => e.start));
  const t1 = Math.max(...entries.map((e) => e.end));
  const width = 48;
  const col = (t) => Math.round(((t - t0) / Math.max(1, t1 - t0)) * width);
  entries.sort((a, b) => a.start - b.start);
  console.log(`  ${'lane'.padEnd(12)} ${'file'.padEnd(20)} ${'worker'.padEnd(6)} 0 s ${'─'.repeat(width - 10)} ${((t1 - t0) / 1000).toFixed(1)} s`);
  for (const e of entries) {
    const bar = ' '.repeat(col(e.start)) + '█'.repeat(Math.max(1, col(e.end) - col(e.start)));
    console.log(`  ${lane(e.file).padEnd(12)} ${e.file.padEnd(20)} ${String(e.worker).padEnd(6)} ${bar}`);
  }
}

function showManifest() {
  const file = path.join(demo, '.flakeguard', 'last-run.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  console.log(`  ${path.relative(root, file)}: status ${manifest.status}, counts ${JSON.stringify(manifest.counts)}`);
  for (const test of manifest.failed) console.log(`  failed   ${test.file} › ${test.titles.join(' › ')} — ${test.message}`);
  for (const finding of manifest.findings) console.log(`  finding  ${finding.check} at ${finding.at}: ${finding.message}`);
  return manifest;
}

reset();
say('1/4  The required check: jest --selectProjects stable   (runner, environment and reporter from withFlakeguard)');
const first = run(jest, [...jestArgs, '--selectProjects', 'stable']);
say('     How the files ran: the two store files never overlap each other but do overlap the parallel lane; migrate runs alone, last');
drawTimeline();
say('2/4  What the run left for the next step: the rerun manifest');
const manifest = showManifest();
say('3/4  npx flakeguard rerun   (exactly the failed test, nothing else is loaded)');
const rerun = run(flakeguard, ['rerun']);
say('4/4  The quarantine: jest --selectProjects flaky   (a @flaky file, retried, never blocks the merge)');
const flaky = run(jest, [...jestArgs, '--selectProjects', 'flaky']);

const asExpected = first === 1 && manifest.failed.length === 1 && manifest.findings.length >= 1 && rerun === 0 && flaky === 0;
say(
  asExpected
    ? 'Demo complete: the failed test passed on rerun, the leak was reported and isolated, the flaky test was rescued by a retry.'
    : 'The demo did not go as described above: see the output.',
);
console.log(`  Look at fixtures/demo/.flakeguard/last-run.json, and try: cd fixtures/demo && node ../../dist/cli/flakeguard.js lanes`);
process.exitCode = asExpected ? 0 : 1;
