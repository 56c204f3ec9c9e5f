// Links this checkout into node_modules as `jest-flakeguard` — the repo's own, and the Jest 29 compat
// install's when it is there — so fixture projects and the demo resolve `jest-flakeguard/runner` (and
// friends) to the built package, as a user's project would.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function link(nodeModules) {
  const target = path.join(nodeModules, 'jest-flakeguard');
  try {
    if (fs.realpathSync(target) === root) return;
    fs.rmSync(target, { recursive: true, force: true });
  } catch {
    // no link yet
  }
  fs.mkdirSync(nodeModules, { recursive: true });
  fs.symlinkSync(path.relative(nodeModules, root), target, 'dir');
}

link(path.join(root, 'node_modules'));
const compat = path.join(root, 'compat', 'jest29', 'node_modules');
if (fs.existsSync(compat)) link(compat);
