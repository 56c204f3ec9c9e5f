#!/usr/bin/env node
// `npm run bench`: every benchmark in this folder, one after another, printing their figures.
// Pass names to run some: `npm run bench -- lanes reporter`.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const wanted = process.argv.slice(2);
const benches = fs
  .readdirSync(__dirname)
  .filter((name) => name.endsWith('.js') && name !== 'run.js' && !name.includes('-'))
  .map((name) => name.replace(/\.js$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name));
let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name}.js`);
  const run = spawnSync(process.execPath, [path.join(__dirname, `${name}.js`)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
