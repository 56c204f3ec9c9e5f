// `npm run test:jest29`: the e2e suite's second pass, against the Jest 29.7 install in compat/jest29.
// Installs that project from its lockfile when it is missing (or lacks a dependency), links the built package into it, then runs
// the e2e specs with FLAKEGUARD_E2E_JEST=29 (the harness then drives compat/jest29's jest binary).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const compat = path.join(root, 'compat', 'jest29');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// Installed when any of its devDependencies is missing (a checkout from before one was added included).
const wanted = Object.keys(require(path.join(compat, 'package.json')).devDependencies);
if (wanted.some((name) => !fs.existsSync(path.join(compat, 'node_modules', name, 'package.json')))) {
  const install = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: compat, stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
require('./link-self');
const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
// Spec paths given (`npm run test:jest29 -- e2e/environment`) choose the specs; as Jest ORs path patterns, the
// whole e2e folder is the pattern only when none is given.
const args = process.argv.slice(2);
const patterns = args.some((arg) => /^(?:\.\/)?e2e\//.test(arg));
const run = spawnSync(process.execPath, [jest, ...(patterns ? [] : ['e2e']), ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FLAKEGUARD_E2E_JEST: '29' },
});
process.exit(run.status ?? 1);
