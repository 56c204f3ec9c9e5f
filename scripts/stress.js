// `npm run test:stress [-- --rounds N --busy K -- <jest args>]`: the project's own suite, N times in a row, with K
// busy processes (one `for(;;);` each) beside it, as a loaded CI machine would be. A flaky spec in a project that ends
// flaky suites is a defect: this is how we look for one before we stop. Prints one line per round and a final count.
'use strict';
const { spawn, spawnSync } = require('child_process');
const path = require('path');
const { parseArgs } = require('util');

const root = path.resolve(__dirname, '..');
const separator = process.argv.indexOf('--', 2);
const own = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const jestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
const { values } = parseArgs({
  args: own,
  options: { rounds: { type: 'string', default: '5' }, busy: { type: 'string', default: '2' } },
});
const rounds = Number(values.rounds);
const busy = Number(values.busy);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(busy) || busy < 0) {
  console.error('test:stress: --rounds must be a whole number ≥ 1 and --busy a whole number ≥ 0');
  process.exit(2);
}

const hogs = [];
const stopHogs = () => {
  for (const hog of hogs) hog.kill('SIGKILL');
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopHogs();
    process.exit(130);
  });
}
for (let i = 0; i < busy; i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;);'], { stdio: 'ignore' }));

const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
let green = 0;
for (let round = 1; round <= rounds; round++) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [jest, '--ci', ...jestArgs], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = Math.round((Date.now() - started) / 1000);
  if (run.status === 0) green += 1;
  console.log(`test:stress: round ${round} of ${rounds} ${run.status === 0 ? 'green' : `FAILED (exit ${run.status})`} in ${seconds} s, ${busy} busy processes beside it`);
}
stopHogs();
console.log(`test:stress: ${green} of ${rounds} rounds green`);
process.exit(green === rounds ? 0 : 1);
