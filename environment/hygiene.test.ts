// The "reaches another test" rule of every check, proved by feeding jest-circus events to Hygiene (no Jest spawned).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ModuleMocker } from 'jest-mock';
import type { Circus } from '@jest/types';
import { planChecks, type FlakeguardEnvironmentOptions } from '../core/checkOptions';
import { type Finding } from '../core/findings';
import { FINDINGS_DIR_ENV, type FindingsFile } from '../io/findingsChannel';
import { Hygiene } from './hygiene';

type Fn = () => unknown;
interface Sandbox {
  process: { env: Record<string, string> };
  setTimeout: typeof setTimeout;
  setInterval: typeof setInterval;
  clearTimeout: typeof clearTimeout;
  clearInterval: typeof clearInterval;
  [key: string]: unknown;
}

/** A file of tests run through Hygiene as jest-circus would: start, beforeEach hooks, body, afterEach hooks, done. */
class FakeFile {
  readonly global: Sandbox;
  readonly mocker: ModuleMocker;
  readonly hygiene: Hygiene;
  private readonly root: Circus.DescribeBlock;
  /** The beforeEach functions as this spec wrote them (circus's Hook type admits generators, which these are not). */
  private readonly hooks: Fn[] = [];
  private readonly dir: string;

  constructor(options: FlakeguardEnvironmentOptions = {}, HygieneClass: typeof Hygiene = Hygiene) {
    this.global = {
      process: { env: { PATH: '/bin' } },
      setTimeout,
      setInterval,
      clearTimeout,
      clearInterval,
    };
    this.mocker = new ModuleMocker(globalThis);
    this.root = { name: 'ROOT_DESCRIBE_BLOCK', children: [], hooks: [], parent: undefined } as unknown as Circus.DescribeBlock;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hygiene-spec-'));
    this.hygiene = new HygieneClass({
      plan: planChecks(options, {}),
      testPath: __filename,
      rootDir: path.resolve(__dirname, '..'),
      project: null,
      restoreMocks: false,
      resetMocks: false,
      global: this.global,
      vmContext: null,
      moduleMocker: this.mocker,
      fakeTimers: {},
    });
    this.hygiene.install();
    this.hygiene.handleTestEvent({ name: 'setup' } as Circus.Event);
  }

  /** beforeEach hooks for every later test. */
  beforeEach(fn: Fn): void {
    this.root.hooks.push({ type: 'beforeEach', fn } as unknown as Circus.Hook);
    this.hooks.push(fn);
  }

  send(event: object): void {
    this.hygiene.handleTestEvent(event as Circus.Event, { rootDescribeBlock: this.root } as Circus.State);
  }

  /** A test entry of the file's tree, not run yet (circus builds them all before run_start). */
  declare(name: string, body: Fn = () => undefined, options: { concurrent?: boolean } = {}): Circus.TestEntry {
    const test = {
      type: 'test',
      name,
      fn: body,
      parent: this.root,
      errors: [],
      asyncError: new Error(),
      concurrent: options.concurrent ?? false,
      mode: undefined,
    } as unknown as Circus.TestEntry;
    this.root.children.push(test);
    return test;
  }

  /** Runs a declared test; a body that throws fails it as circus does (the error is on the test before test_fn_failure). */
  async run(test: Circus.TestEntry): Promise<Circus.TestEntry> {
    this.send({ name: 'test_start', test });
    for (const hook of this.hooks) await hook();
    this.send({ name: 'test_fn_start', test });
    try {
      await (test.fn as Fn)();
      this.send({ name: 'test_fn_success', test });
    } catch (error) {
      test.errors.push([error, test.asyncError]);
      this.send({ name: 'test_fn_failure', error, test });
    }
    this.send({ name: 'test_done', test });
    return test;
  }

  test(name: string, body: Fn = () => undefined, options: { concurrent?: boolean } = {}): Promise<Circus.TestEntry> {
    return this.run(this.declare(name, body, options));
  }

  /** A beforeAll or afterAll hook of a describe block, run between tests. */
  async hookAll(type: 'beforeAll' | 'afterAll', fn: Fn): Promise<void> {
    this.send({ name: 'hook_start', hook: { type, fn } });
    await fn();
    this.send({ name: 'hook_success', hook: { type, fn } });
  }

  /** Ends the file and returns what Hygiene wrote. */
  end(): Finding[] {
    const saved = process.env[FINDINGS_DIR_ENV];
    process.env[FINDINGS_DIR_ENV] = this.dir;
    try {
      this.hygiene.teardown();
    } finally {
      if (saved === undefined) delete process.env[FINDINGS_DIR_ENV];
      else process.env[FINDINGS_DIR_ENV] = saved;
      this.hygiene.uninstall();
    }
    const findings = fs.readdirSync(this.dir).flatMap((name) => (JSON.parse(fs.readFileSync(path.join(this.dir, name), 'utf8')) as FindingsFile).findings);
    fs.rmSync(this.dir, { recursive: true, force: true });
    return findings;
  }
}

const brief = (findings: Finding[]): string[] => findings.map((f) => `${f.check} | ${f.titles.join(' › ')} → ${f.reached?.join(' › ') ?? 'end of file'}`);
/** The 1-based line of this file where `text` first appears. */
const lineOf = (text: string): number =>
  fs
    .readFileSync(__filename, 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text)) + 1;
const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('leaked-env', () => {
  test('a key still holding the value the test left when the next body starts: a finding of the test that left it', async () => {
    const file = new FakeFile();
    await file.test('sets', () => {
      file.global.process.env.API_URL = 'x';
    });
    await file.test('next');
    const [finding] = file.end();
    expect(brief([finding])).toEqual(['leaked-env | sets → next']);
    expect(finding.at).toMatch(/^environment\/hygiene\.test\.ts:\d+:\d+$/);
  });

  test('a key every beforeEach sets again; a key the next test changes; the last test’s key: no finding', async () => {
    const file = new FakeFile();
    file.beforeEach(() => {
      file.global.process.env.MODE = 'fixture';
    });
    await file.test('one');
    await file.test('two');
    await file.test('changes it', () => {
      file.global.process.env.MODE = 'other';
    });
    await file.test('last', () => {
      file.global.process.env.LAST = '1';
    });
    expect(file.end()).toEqual([]);
  });

  test('a fresh process.env per test from beforeEach: no finding', async () => {
    const file = new FakeFile();
    const original = file.global.process.env;
    file.beforeEach(() => {
      file.global.process.env = { ...original };
    });
    await file.test('writes its copy', () => {
      file.global.process.env.X = '1';
    });
    await file.test('next');
    expect(file.end()).toEqual([]);
  });
});

describe('unrestored-spy', () => {
  const api = { load: (): string => 'real' };

  test('a spy still installed when the next body starts: a finding', async () => {
    const file = new FakeFile();
    await file.test('spies', () => {
      file.mocker.spyOn(api, 'load');
    });
    await file.test('next');
    expect(brief(file.end())).toEqual(['unrestored-spy | spies → next']);
    api.load = (): string => 'real';
  });

  test('a spy every beforeEach makes again (the same spy comes back): no finding', async () => {
    const file = new FakeFile();
    file.beforeEach(() => {
      file.mocker.spyOn(api, 'load');
    });
    await file.test('one');
    await file.test('two');
    await file.test('three');
    expect(file.end()).toEqual([]);
    file.mocker.restoreAllMocks();
  });
});

describe('unrestored-spy on an object only the test held', () => {
  class Parser {
    unknownOption(): string {
      return 'real';
    }
  }
  test('a parser the test made itself, spied and left: no finding', async () => {
    const file = new FakeFile();
    await file.test('spies on its own parser', () => {
      const parser = new Parser();
      file.mocker.spyOn(parser, 'unknownOption');
    });
    await file.test('next');
    expect(file.end()).toEqual([]);
  });
});

describe('leaked-env locations', () => {
  test('a key the test writes twice is located at its last write (not a hook’s reset before it)', async () => {
    const file = new FakeFile();
    let line = 0;
    await file.test('sets it', () => {
      file.global.process.env.NO_COLOR = '0';
      file.global.process.env.NO_COLOR = '1';
      line = Number(/:(\d+):\d+\)?$/.exec(new Error().stack?.split('\n')[1] ?? '')?.[1]) - 1;
    });
    await file.test('next');
    const [finding] = file.end();
    expect(finding.at).toMatch(new RegExp(`^environment/hygiene\\.test\\.ts:${line}:`));
  });
});

describe('unused-mock-once', () => {
  test('once-values on a file-level mock: a finding; on a mock of the test’s own: none', async () => {
    const file = new FakeFile();
    const shared = file.mocker.fn();
    await file.test('queues on the shared mock', () => {
      shared.mockReturnValueOnce(1);
    });
    await file.test('queues on its own mock', () => {
      file.mocker.fn().mockReturnValueOnce(1);
    });
    await file.test('next');
    expect(brief(file.end())).toEqual(['unused-mock-once | queues on the shared mock → queues on its own mock']);
  });

  test('a mock of the test’s own that the next test consumes after all: a finding', async () => {
    const file = new FakeFile();
    const registry: { client?: () => unknown } = {};
    await file.test('hands its mock to a module', () => {
      const client = file.mocker.fn();
      client.mockReturnValueOnce('stale');
      registry.client = client;
    });
    await file.test('calls it', () => {
      registry.client?.();
    });
    await file.test('after');
    expect(brief(file.end())).toEqual(['unused-mock-once | hands its mock to a module → calls it']);
  });
});

describe('pending-mock-promise', () => {
  test('settles while the next test runs: a finding; settled before the next test starts: none', async () => {
    const file = new FakeFile();
    let release: Fn = () => undefined;
    const slow = file.mocker.fn(() => new Promise((resolve) => (release = resolve as Fn)));
    const quick = file.mocker.fn(() => tick());
    await file.test('does not await slow', () => {
      void slow();
    });
    await file.test('runs while it settles', async () => {
      release();
      await tick();
    });
    await file.test('does not await quick', () => {
      void quick();
    });
    await tick(5);
    await file.test('starts after it settled');
    expect(brief(file.end())).toEqual(['pending-mock-promise | does not await slow → runs while it settles']);
  });
});

describe('pending-timer', () => {
  test('still pending when the next body starts: a finding; one that fired or was cleared: none', async () => {
    const file = new FakeFile();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await file.test('leaves a timer', () => {
      timer = file.global.setTimeout(() => undefined, 10_000);
    });
    await file.test('next', () => {
      file.global.clearTimeout(timer);
    });
    await file.test('a timer that fires', () => {
      file.global.setTimeout(() => undefined, 0);
    });
    await tick(5);
    await file.test('after it fired');
    expect(brief(file.end())).toEqual(['pending-timer | leaves a timer → next']);
  });

  test('a real timer still pending when the file ends outlives it: reported at the end of the file', async () => {
    const file = new FakeFile();
    await file.test('last test leaves a timer', () => {
      const timer = file.global.setTimeout(() => undefined, 10_000);
      afterFile.push(() => clearTimeout(timer));
    });
    const findings = file.end();
    expect(brief(findings)).toEqual(['pending-timer | last test leaves a timer → end of file']);
    expect(findings[0].outlivesFile).toBe(true);
  });
  const afterFile: Fn[] = [];
  afterAll(() => afterFile.forEach((fn) => fn()));
});

describe('leaked-global', () => {
  test('still holding the value the test left: a finding; set again by the next beforeEach: none', async () => {
    const file = new FakeFile();
    await file.test('adds a cache', () => {
      file.global.userCache = new Map();
    });
    await file.test('next');
    file.beforeEach(() => {
      file.global.IS_ACT_ENVIRONMENT = true;
    });
    await file.test('first with the hook');
    await file.test('second with the hook');
    const findings = file.end();
    expect(brief(findings)).toEqual(['leaked-global | adds a cache → next']);
    expect(findings[0].at).toMatch(/^environment\/hygiene\.test\.ts:\d+:\d+$/);
  });

  test('put back to the undefined saved from an absent global: no finding', async () => {
    const file = new FakeFile();
    await file.test('mocks a Worker and puts it back', () => {
      const saved = file.global.Worker;
      file.global.Worker = class {};
      file.global.Worker = saved;
    });
    await file.test('next');
    expect(brief(file.end())).toEqual([]);
  });

  test('a global this file never names (a library’s registry): no finding; a named one, at its assignment', async () => {
    // The registry's name is built, so that it appears nowhere in this file, as in a test that only calls the library.
    const registry = ['tinyConnector', 'Instances'].join('');
    const file = new FakeFile();
    await file.test('uses the connector', () => {
      file.global[registry] = { default: { events: [] } };
    });
    await file.test('mocks import', () => {
      const global = file.global;
      (global as Record<string, unknown>).dynamicImport = () => undefined;
    });
    await file.test('next');
    const findings = file.end();
    expect(brief(findings)).toEqual(['leaked-global | mocks import → next']);
    expect(findings[0].at).toBe(`environment/hygiene.test.ts:${lineOf('(global as Record<string, unknown>).dynamicImport =')}:7`);
  });
});

describe('one finding per check, thing and line', () => {
  test('the same leak left by three tests is one finding that counts them', async () => {
    const file = new FakeFile();
    const shared = file.mocker.fn();
    const queue = (): void => {
      shared.mockReturnValueOnce(1);
    };
    await file.test('a', queue);
    await file.test('b', queue);
    await file.test('c', queue);
    await file.test('d');
    const findings = file.end();
    expect(brief(findings)).toEqual(['unused-mock-once | a → b']);
    expect(findings[0].tests).toBe(3);
  });
});

describe('isolate: true undoes what reached the next test, as its body starts', () => {
  test('the next body sees the env put back; the undo is not that test’s own leak', async () => {
    const file = new FakeFile({ isolate: true });
    await file.test('sets', () => {
      file.global.process.env.FLAG = 'on';
    });
    let seen: string | undefined = 'unread';
    await file.test('reads', () => {
      seen = file.global.process.env.FLAG;
    });
    await file.test('after');
    expect(seen).toBeUndefined();
    expect(brief(file.end())).toEqual(['leaked-env | sets → reads']);
  });
});

describe('which test the trackers attribute things to (the circus events)', () => {
  const api = { load: (): string => 'real', save: (): string => 'real' };
  afterEach(() => {
    api.load = (): string => 'real';
    api.save = (): string => 'real';
  });

  test('a concurrent test’s spy belongs to the file, not to that test: no finding; a plain test’s after it does', async () => {
    const file = new FakeFile();
    await file.test(
      'concurrent spies',
      () => {
        file.mocker.spyOn(api, 'load');
      },
      { concurrent: true },
    );
    await file.test('next');
    expect(file.end()).toEqual([]);
    const plain = new FakeFile();
    await plain.test('plain spies', () => {
      plain.mocker.spyOn(api, 'save');
    });
    await plain.test('next');
    expect(brief(plain.end())).toEqual(['unrestored-spy | plain spies → next']);
  });

  test('what a beforeAll hook between two tests writes is not the next test’s leak', async () => {
    const file = new FakeFile();
    await file.test('one');
    await file.hookAll('beforeAll', () => {
      file.global.process.env.SUITE = 'nested';
    });
    await file.test('two');
    await file.test('three');
    expect(file.end()).toEqual([]);
  });

  describe('Jest 29 (concurrent bodies all start at run_start)', () => {
    let Hygiene29: typeof Hygiene;
    beforeAll(() => {
      jest.isolateModules(() => {
        jest.doMock('../io/jestHost', () => ({ ...jest.requireActual<object>('../io/jestHost'), jestMajor: () => 29 }));
        Hygiene29 = (require('./hygiene') as typeof import('./hygiene')).Hygiene;
      });
    });

    test('no test owns what is made until the last concurrent test is done; then plain tests do again', async () => {
      const file = new FakeFile({}, Hygiene29);
      const before = file.declare('plain before the concurrent one', () => {
        file.mocker.spyOn(api, 'load');
      });
      const concurrent = file.declare('concurrent', () => undefined, { concurrent: true });
      const after = file.declare('plain after it', () => {
        file.mocker.spyOn(api, 'save');
      });
      const last = file.declare('last');
      file.send({ name: 'run_start' });
      for (const test of [before, concurrent, after, last]) await file.run(test);
      expect(brief(file.end())).toEqual(['unrestored-spy | plain after it → last']);
    });
  });
});

describe('stale modules, from the failure circus recorded at test_fn_failure', () => {
  const failure = (name: string): Error =>
    Object.assign(new Error(`expect(received).toBeInstanceOf(expected)\n\nExpected constructor: ${name}\nReceived constructor: ${name}\n`));

  test('the error gets the hint and the file a stale-module finding — for a concurrent test too', async () => {
    const file = new FakeFile();
    const plain = await file.test('plain', () => {
      throw failure('Client');
    });
    await file.test(
      'concurrent',
      () => {
        throw failure('Server');
      },
      { concurrent: true },
    );
    const findings = file.end();
    expect(findings.map((f) => [f.check, f.titles, f.message])).toEqual([
      ['stale-module', ['plain'], 'Client received is not the Client expected: its module was loaded twice'],
      ['stale-module', ['concurrent'], 'Server received is not the Server expected: its module was loaded twice'],
    ]);
    expect(((plain.errors[0] as unknown[])[0] as Error).message).toContain('flakeguard stale-module:');
  });
});

describe("'error' mode through the events", () => {
  test('the test that left the leak fails (an error on its entry); the test it reached does not', async () => {
    const file = new FakeFile({ strict: true });
    const sets = await file.test('sets', () => {
      file.global.process.env.API_URL = 'x';
    });
    const next = await file.test('next');
    const [finding] = file.end();
    expect(finding!.severity).toBe('error');
    expect(sets.errors).toHaveLength(1);
    expect((sets.errors[0] as Error).message).toMatch(/^flakeguard leaked-env: process\.env\.API_URL set and not restored \(at environment\/hygiene\.test\.ts:\d+:\d+\)\n/);
    expect(next.errors).toEqual([]);
  });
});
