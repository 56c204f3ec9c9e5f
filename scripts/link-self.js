// Links node_modules/jest-flakeguard to this checkout so fixture projects and the demo
// resolve `jest-flakeguard/runner` (and friends) to the built package, as a user's project would.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'jest-flakeguard');
try {
  if (fs.realpathSync(link) === root) return;
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // no link yet
}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
