// Tracks what a test file leaves in the worker process itself, which Jest shares between every file the worker (or
// an in-band run) goes on to run: process.exitCode, the working directory, members of Node's core modules and of the
// real stdout/stderr replaced or spied on (worker-state), and servers, sockets and child processes still open when the
// file ends (open-handle). All of it outlives the file, so it is judged once, when the file ends.
//
// Why these and not process listeners: Jest gives each file its own copy of `process` (jest-util's
// createProcessObject re-runs EventEmitter's constructor on it), so a listener a test adds never sees the worker's
// events; but that copy's exitCode and chdir are the real process's, and `require('fs')` in a test file is the
// worker's own fs module.

import type { CheckName } from '../core/findings';
import { messages } from '../core/findingFormat';
import type { Leak, Tracker } from './leak';
import { captureTrace, DEEP_TRACE_DEPTH, type Trace } from './trace';

// Core modules whose members code under test or tests most often patch; Jest hands every file the worker's own copy.
const CORE_MODULES = ['fs', 'fs/promises', 'http', 'https', 'net', 'child_process', 'os', 'dns', 'crypto', 'zlib', 'util', 'events', 'stream'];

type Members = Map<string, unknown>;

interface OpenedHandle {
  kind: 'server' | 'socket' | 'child process';
  handle: object;
  trace: Trace;
  describe(): string | null;
}

export interface WorkerStateOptions {
  enabled: (check: CheckName) => boolean;
  /** The sandbox's process object (Jest's per-file copy). */
  sandboxProcess: { chdir?: (dir: string) => void; exitCode?: unknown } | undefined;
  /** Where a member now installed was made, when a mock tracker knows (a spy or jest.fn()). */
  madeAt: (value: unknown, object: object, key: string) => Trace | undefined;
}

/** Rare events (a chdir, a listen): their stacks are formatted at once, while the file's source maps are in place. */
const formatted = (trace: Trace): Trace => {
  void trace.stack;
  return trace;
};

const hasRef = (socket: object): boolean => {
  const handle = (socket as { _handle?: { hasRef?: () => boolean } })._handle;
  return typeof handle?.hasRef === 'function' ? handle.hasRef() : true;
};

/** A shallow copy of an object's own function-valued members (a getter is never called). */
function membersOf(object: object): Members {
  const members: Members = new Map();
  for (const key of Object.getOwnPropertyNames(object)) {
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor && 'value' in descriptor && typeof descriptor.value === 'function') members.set(key, descriptor.value);
  }
  return members;
}

export class WorkerState implements Tracker {
  private readonly checkState: boolean;
  private readonly checkHandles: boolean;
  private exitCodeAtStart: unknown;
  private cwdAtStart = '';
  private chdirTrace: Trace | undefined;
  private exitCodeTrace: Trace | undefined;
  private originalChdir: ((dir: string) => void) | undefined;
  private readonly modules: Array<{ name: string; object: object; members: Members }> = [];
  private readonly opened: OpenedHandle[] = [];
  private readonly restore: Array<() => void> = [];

  constructor(private readonly options: WorkerStateOptions) {
    this.checkState = options.enabled('worker-state');
    this.checkHandles = options.enabled('open-handle');
  }

  install(): void {
    if (this.checkState) this.watchState();
    if (this.checkHandles) this.watchHandles();
  }

  private watchState(): void {
    this.exitCodeAtStart = process.exitCode;
    this.cwdAtStart = process.cwd();
    const sandbox = this.options.sandboxProcess;
    this.watchExitCode(sandbox);
    if (sandbox && typeof sandbox.chdir === 'function') {
      const original = sandbox.chdir;
      // eslint-disable-next-line @typescript-eslint/no-this-alias
      const tracker = this;
      const chdir = function chdir(this: unknown, dir: string): void {
        original.call(this, dir);
        tracker.chdirTrace = formatted(captureTrace(chdir));
      };
      try {
        sandbox.chdir = chdir;
        this.originalChdir = original;
      } catch {
        // a read-only chdir: compared at the end all the same
      }
    }
    for (const name of CORE_MODULES) {
      try {
        const object = require(name) as object;
        this.modules.push({ name, object, members: membersOf(object) });
      } catch {
        // not in this Node
      }
    }
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = process[name] as unknown as object;
      // write lives on the prototype until someone assigns it: note what the stream resolves it to now.
      const members: Members = new Map([['write', (stream as { write?: unknown }).write]]);
      this.modules.push({ name: `process.${name}`, object: stream, members });
    }
  }

  /** Notes where the sandbox's process.exitCode is set, when its property can carry a setter of ours. */
  private watchExitCode(sandbox: WorkerStateOptions['sandboxProcess']): void {
    const descriptor = sandbox ? Object.getOwnPropertyDescriptor(sandbox, 'exitCode') : undefined;
    if (!sandbox || !descriptor?.configurable) return;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const read = (): unknown => (descriptor.get ? descriptor.get.call(sandbox) : descriptor.value);
    Object.defineProperty(sandbox, 'exitCode', {
      configurable: true,
      enumerable: descriptor.enumerable,
      get: read,
      set: function set(value: unknown) {
        if (descriptor.set) descriptor.set.call(sandbox, value);
        else descriptor.value = value;
        tracker.exitCodeTrace = formatted(captureTrace(set, DEEP_TRACE_DEPTH));
      },
    });
    this.restore.push(() => {
      const value = read();
      Object.defineProperty(sandbox, 'exitCode', descriptor);
      if (!descriptor.set && !descriptor.get) (sandbox as { exitCode?: unknown }).exitCode = value;
    });
  }

  /** Wraps what opens servers, client sockets and child processes, to name the line that opened each. */
  private watchHandles(): void {
    const net = require('net') as typeof import('net');
    const childProcess = require('child_process') as typeof import('child_process');
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const tracker = this;
    const wrap = <T extends object>(owner: T, key: keyof T & string, record: (result: unknown, self: unknown, trace: Trace) => void): void => {
      const original = owner[key] as unknown as (...args: unknown[]) => unknown;
      if (typeof original !== 'function') return;
      const wrapped = function (this: unknown, ...args: unknown[]): unknown {
        const result = original.apply(this, args);
        try {
          record(result, this, formatted(captureTrace(wrapped, DEEP_TRACE_DEPTH)));
        } catch {
          // never let bookkeeping break the call
        }
        return result;
      };
      // util.promisify(execFile) and util.promisify(exec) resolve `{ stdout, stderr }` through the function's own
      // util.promisify.custom: a wrapper without it resolves the bare stdout, and `const { stdout } = …` is undefined.
      for (const property of Reflect.ownKeys(original)) {
        if (property === 'length' || property === 'name' || property === 'prototype') continue;
        Object.defineProperty(wrapped, property, Object.getOwnPropertyDescriptor(original, property)!);
      }
      Object.defineProperty(wrapped, 'name', { value: original.name });
      (owner as Record<string, unknown>)[key] = wrapped;
      this.restore.push(() => {
        if ((owner as Record<string, unknown>)[key] === wrapped) (owner as Record<string, unknown>)[key] = original;
      });
    };
    wrap(net.Server.prototype, 'listen', (_result, self, trace) => {
      const server = self as import('net').Server;
      tracker.opened.push({
        kind: 'server',
        handle: server,
        trace,
        describe: () => {
          if (!server.listening) return null;
          const address = server.address();
          return `server listening on ${typeof address === 'string' ? address : address ? `port ${address.port}` : 'an address'}`;
        },
      });
    });
    wrap(net.Socket.prototype, 'connect', (_result, self, trace) => {
      const socket = self as import('net').Socket;
      tracker.opened.push({
        kind: 'socket',
        handle: socket,
        trace,
        // A socket Node's http agent keeps for reuse is unref'd while idle: it keeps nothing alive.
        describe: () =>
          socket.destroyed || socket.readyState === 'closed' || !hasRef(socket)
            ? null
            : `socket to ${socket.remoteAddress ?? 'a peer'}${socket.remotePort ? `:${socket.remotePort}` : ''} still open`,
      });
    });
    for (const key of ['spawn', 'fork', 'exec', 'execFile'] as const) {
      wrap(childProcess, key, (result, _self, trace) => {
        const child = result as import('child_process').ChildProcess;
        if (!child || typeof child !== 'object') return;
        tracker.opened.push({
          kind: 'child process',
          handle: child,
          trace,
          describe: () =>
            child.exitCode === null && child.signalCode === null ? `child process ${child.pid ?? ''} (${child.spawnfile}) still running`.replace('  ', ' ') : null,
        });
      });
    }
  }

  uninstall(): void {
    for (const restore of this.restore.splice(0)) restore();
    const sandbox = this.options.sandboxProcess;
    if (sandbox && this.originalChdir) sandbox.chdir = this.originalChdir;
  }

  // Nothing here belongs to one test: all of it is judged when the file ends.
  testStarted(): void {}

  testAbandoned(): void {}

  testDone(): Leak[] {
    return [];
  }

  /** Everything here outlives the file: judged once, at its end. Our own wrappers are taken off first. */
  fileEnded(): Leak[] {
    for (const restore of this.restore.splice(0)) restore();
    const leaks: Leak[] = [];
    if (this.checkState) this.stateLeaks(leaks);
    if (this.checkHandles) {
      for (const opened of this.opened) {
        const still = opened.describe();
        if (still) leaks.push({ check: 'open-handle', trace: opened.trace, onlyFromUserCode: true, message: messages.openHandle(still) });
      }
    }
    return leaks;
  }

  private stateLeaks(leaks: Leak[]): void {
    if (process.exitCode !== this.exitCodeAtStart && process.exitCode !== undefined && process.exitCode !== 0) {
      const code = process.exitCode;
      leaks.push({ check: 'worker-state', message: messages.exitCodeSet(code), trace: this.exitCodeTrace, madeBy: /\bprocess\.exitCode\s*=(?!=)/ });
    }
    const cwd = process.cwd();
    if (cwd !== this.cwdAtStart) {
      const before = this.cwdAtStart;
      leaks.push({ check: 'worker-state', message: messages.cwdChanged(), trace: this.chdirTrace, madeBy: /\bprocess\.chdir\s*\(/, undo: () => process.chdir(before) });
    }
    for (const { name, object, members } of this.modules) {
      for (const [key, original] of members) {
        const now = (object as Record<string, unknown>)[key];
        if (now === original) continue;
        leaks.push({
          check: 'worker-state',
          message: messages.coreMemberReplaced(`${name}.${key}`),
          trace: this.options.madeAt(now, object, key),
          made: now,
          madeBy: new RegExp(String.raw`\.${key}\s*=(?![=>])|spyOn\([^,]+,\s*['"\x60]${key}['"\x60]`),
          undo: () => {
            (object as Record<string, unknown>)[key] = original;
          },
        });
      }
    }
  }
}
