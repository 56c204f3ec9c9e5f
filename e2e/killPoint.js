// Preloaded into Jest by the kill-loop spec (NODE_OPTIONS=--require): counts the file writes flakeguard's reporter
// makes under `.flakeguard/` from onRunComplete on — a sequence that is the same on every run — and SIGKILLs the
// process at write number KILL_POINT_AT (before it, or half-way through a writeFileSync with KILL_POINT_MODE=partial).
// It also records, in KILL_POINT_LOG, this process's pid, how many writes it saw, and every sleep of a lock wait.
'use strict';
const fs = require('fs');
const Module = require('module');

const log = process.env.KILL_POINT_LOG;
const at = Number(process.env.KILL_POINT_AT || 0);
const partial = process.env.KILL_POINT_MODE === 'partial';
const marker = `${require('path').sep}.flakeguard`;
const original = { ...fs };
const note = (line) => log && original.appendFileSync(log, `${line}\n`);
let counting = false;
let count = 0;

note(`pid ${process.pid}`);

function wrap(name) {
  fs[name] = function (target, ...rest) {
    if (counting && String(target).includes(marker)) {
      count++;
      if (count === at) {
        note(`killed ${count} ${name} ${partial && name === 'writeFileSync' ? 'partial' : 'before'}`);
        if (partial && name === 'writeFileSync') {
          const data = Buffer.from(rest[0]);
          original.writeFileSync(target, data.subarray(0, Math.floor(data.length / 2)));
        }
        process.kill(process.pid, 'SIGKILL');
      }
    }
    return original[name].call(this, target, ...rest);
  };
}
for (const name of ['writeFileSync', 'renameSync', 'linkSync', 'rmSync', 'unlinkSync', 'mkdirSync', 'openSync', 'appendFileSync']) wrap(name);

// A lock wait sleeps with Atomics.wait: each one is recorded, so the spec can assert that no run ever waited.
const wait = Atomics.wait;
Atomics.wait = function (...args) {
  if (counting) note('lock-wait');
  return wait.apply(this, args);
};

// From the reporter's onRunComplete on, the writes are the end of the run.
const load = Module._load;
Module._load = function (request, ...rest) {
  const loaded = load.call(this, request, ...rest);
  const Reporter = loaded && loaded.default;
  if (/jest-flakeguard[\\/]reporter|dist[\\/]reporter[\\/]index/.test(request) && Reporter && Reporter.prototype && !Reporter.prototype.__killPoint) {
    const onRunComplete = Reporter.prototype.onRunComplete;
    Reporter.prototype.onRunComplete = function (...args) {
      counting = true;
      try {
        return onRunComplete.apply(this, args);
      } finally {
        note(`writes ${count}`);
      }
    };
    Reporter.prototype.__killPoint = true;
  }
  return loaded;
};
