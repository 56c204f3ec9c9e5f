// `npm run demo`: runs the demo suite in fixtures/demo through jest-flakeguard and explains what happened.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const demo = path.join(root, 'fixtures', 'lanes');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const run = spawnSync(process.execPath, [jest, '--maxWorkers=3'], { cwd: demo, stdio: 'inherit' });
process.exitCode = run.status ?? 1;
