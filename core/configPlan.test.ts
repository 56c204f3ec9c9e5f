import * as path from 'path';
import type { Config } from 'jest';
import { planFlakeguardConfig, selectsOnly, type ConfigFacts } from './configPlan';
import { decodeEnvironmentOptions } from './environmentOptions';

const ROOT = path.resolve('/repo');
const abs = (file: string) => path.join(ROOT, ...file.split('/'));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function facts(over: Partial<ConfigFacts> = {}): ConfigFacts {
  return {
    rootDir: ROOT,
    today: '2026-11-25',
    quarantineFile: abs('.flakeguard/quarantine.json'),
    quarantine: {
      schemaVersion: 1,
      entries: [
        { file: 'test/a.test.ts', titles: ['suite', 'test'], reason: 'r', owner: 'ana', added: '2026-11-01', expires: '2026-11-24' },
        { file: 'test/gone.test.ts', reason: 'r', added: '2026-11-01' },
      ],
    },
    pragmaFiles: new Map([['test/b.test.ts', 'issue 7']]),
    fileExists: (file) => file !== 'test/gone.test.ts',
    resolveEnvironment: (name) => (name === 'jsdom' ? 'jsdom' : name === undefined ? 'node' : `/resolved/${name}`),
    argv: ['node', 'jest'],
    projectRoot: (project) => (project?.rootDir ? path.resolve(ROOT, project.rootDir) : ROOT),
    isFlakeguardReporter: (name) => name === 'jest-flakeguard/reporter' || name === '/repo/node_modules/jest-flakeguard/dist/reporter/index.js',
    modules: {
      environment: '/pkg/environment.js',
      retrySetup: '/pkg/retrySetup.js',
      quarantineReporter: '/pkg/quarantineReporter.js',
      sequencer: '/pkg/quarantineSequencer.js',
    },
    resolveSequencer: (name) => `/resolved/${name}`,
    ...over,
  };
}

type Project = Config & { displayName: { name: string } };
const projectsOf = (config: Config) => config.projects as Project[];

describe('planFlakeguardConfig', () => {
  const user: Config = {
    testEnvironment: 'jsdom',
    transform: { '^.+\\.ts$': 'ts-jest' },
    setupFilesAfterEnv: ['<rootDir>/setup.ts'],
    testEnvironmentOptions: { url: 'http://localhost/', flakeguard: { strict: true } },
    collectCoverage: true,
    testTimeout: 10_000,
    maxWorkers: 3,
    coverageThreshold: { global: { lines: 90 } },
  };
  const config = planFlakeguardConfig(user, { stableRetries: 1 }, facts());
  const [stable, flaky] = projectsOf(config);

  test('two projects named stable and flaky, keeping the user options in both; global options stay on top', () => {
    expect(projectsOf(config).map((p) => p.displayName.name)).toEqual(['stable', 'flaky']);
    for (const project of [stable!, flaky!]) {
      expect(project.transform).toEqual(user.transform);
      expect(project.runner).toBe('jest-flakeguard/runner');
      expect(project.testEnvironment).toBe('/pkg/environment.js');
    }
    expect(config.collectCoverage).toBe(true);
    expect(config.testTimeout).toBe(10_000);
    expect(config.maxWorkers).toBe(3);
    expect(config.coverageThreshold).toEqual(user.coverageThreshold);
  });

  test('options Jest takes only at the top are left out of the projects (Jest warns about them there)', () => {
    expect(stable).not.toHaveProperty('maxWorkers');
    expect(flaky).not.toHaveProperty('coverageThreshold');
    // Jest 29 takes these only at the top too (Jest 30 reads the top-level ones): kept there, not copied.
    for (const project of [stable!, flaky!]) for (const key of ['collectCoverage', 'testTimeout', 'verbose', 'silent']) expect(project).not.toHaveProperty(key);
    expect(config.collectCoverage).toBe(true);
  });

  test('the environment gets the user environment options, the hygiene options, the quarantine mode and retries', () => {
    const quarantine = (mode: 'exclude' | 'only') => ({ mode, file: abs('.flakeguard/quarantine.json'), rootDir: ROOT });
    expect(decodeEnvironmentOptions(stable!.testEnvironmentOptions)).toEqual({
      base: { url: 'http://localhost/' },
      hygiene: { strict: true },
      own: { environment: 'jsdom', quarantine: quarantine('exclude'), retries: 1, files: { mode: 'exclude', files: [abs('test/b.test.ts')] } },
    });
    expect(decodeEnvironmentOptions(flaky!.testEnvironmentOptions)).toEqual({
      base: { url: 'http://localhost/' },
      hygiene: { strict: true },
      own: { environment: 'jsdom', quarantine: quarantine('only'), retries: 2, files: { mode: 'only', files: [abs('test/b.test.ts'), abs('test/a.test.ts')] } },
    });
  });

  test('the retry setup file comes before the user setup files, only where there are retries', () => {
    expect(stable!.setupFilesAfterEnv).toEqual(['/pkg/retrySetup.js', '<rootDir>/setup.ts']);
    const noRetries = projectsOf(planFlakeguardConfig(user, { retries: 0 }, facts()));
    expect(noRetries.map((p) => p.setupFilesAfterEnv)).toEqual([['<rootDir>/setup.ts'], ['<rootDir>/setup.ts']]);
    expect(decodeEnvironmentOptions(noRetries[1]!.testEnvironmentOptions).own).not.toHaveProperty('retries');
  });

  test('stable ignores whole quarantined files; flaky ignores every file but the quarantined ones; a file that is gone is in neither', () => {
    const whole = ['test/b.test.ts'].map((f) => `^${escape(abs(f))}$`);
    expect(stable!.testPathIgnorePatterns).toEqual(['/node_modules/', ...whole]);
    const only = new RegExp(flaky!.testPathIgnorePatterns![1]!);
    expect(flaky!.testPathIgnorePatterns![0]).toBe('/node_modules/');
    expect(['test/a.test.ts', 'test/b.test.ts', 'test/c.test.ts', 'test/a.test.tsx'].map((f) => only.test(abs(f)))).toEqual([false, false, true, true]);
  });

  test('reporters: the user ones, jest-flakeguard/reporter, and the quarantine reporter with what it must report', () => {
    expect(config.reporters).toEqual([
      'default',
      ['jest-flakeguard/reporter', {}],
      [
        '/pkg/quarantineReporter.js',
        {
          rootDir: ROOT,
          quarantineFile: abs('.flakeguard/quarantine.json'),
          expired: [expect.stringContaining('quarantine of "test/a.test.ts > suite > test" (owner: ana) expired after 2026-11-24')],
          failOnFlaky: [],
        },
      ],
    ]);
    const withOptions = planFlakeguardConfig({ reporters: [['jest-flakeguard/reporter', { junit: true }]] }, { failOnFlaky: true, historyLimit: 50 }, facts());
    expect(withOptions.reporters).toHaveLength(2);
    expect((withOptions.reporters![1] as [string, { failOnFlaky: string[] }])[1].failOnFlaky).toEqual(['stable']);
    const passed = planFlakeguardConfig({}, { historyLimit: 50, reporter: { outputDir: 'out' } }, facts());
    expect(passed.reporters![1]).toEqual(['jest-flakeguard/reporter', { outputDir: 'out', historyLimit: 50 }]);
    expect(planFlakeguardConfig({}, { reporter: false }, facts()).reporters).toHaveLength(2);
  });

  test('the user listing jest-flakeguard/reporter (by name or resolved path): our options merge into that entry, no second one', () => {
    const byName = planFlakeguardConfig({ reporters: [['jest-flakeguard/reporter', { junit: true }]] }, { historyLimit: 50, reporter: { github: false } }, facts());
    expect(byName.reporters!.slice(0, -1)).toEqual([['jest-flakeguard/reporter', { junit: true, github: false, historyLimit: 50 }]]);
    const resolved = '/repo/node_modules/jest-flakeguard/dist/reporter/index.js';
    const byPath = planFlakeguardConfig({ reporters: ['default', resolved] }, { historyLimit: 3 }, facts());
    expect(byPath.reporters!.slice(0, -1)).toEqual(['default', [resolved, { historyLimit: 3 }]]);
    // Two places saying different things: one line, not a silent winner.
    expect(() => planFlakeguardConfig({ reporters: [['jest-flakeguard/reporter', { historyLimit: 10 }]] }, { historyLimit: 50 }, facts())).toThrow(
      "withFlakeguard's reporter option historyLimit (50) contradicts historyLimit (10) in your reporters entry for jest-flakeguard/reporter: set it in one place",
    );
  });

  test('a config with projects: each project split in two, its own options and root kept', () => {
    const split = planFlakeguardConfig(
      {
        collectCoverage: true,
        projects: [
          { displayName: 'web', testEnvironment: 'jsdom', testMatch: ['<rootDir>/web/**/*.test.ts'] },
          { displayName: 'api', rootDir: 'packages/api', testPathIgnorePatterns: ['/fixtures/'] },
        ],
      },
      {},
      facts(),
    );
    const projects = projectsOf(split);
    expect(projects.map((p) => p.displayName.name)).toEqual(['stable', 'flaky', 'stable', 'flaky']);
    expect(projects.map((p) => decodeEnvironmentOptions(p.testEnvironmentOptions).own?.environment)).toEqual(['jsdom', 'jsdom', 'node', 'node']);
    expect(projects[0]!.testMatch).toEqual(['<rootDir>/web/**/*.test.ts']);
    expect(projects[2]!.rootDir).toBe('packages/api');
    expect(projects[2]!.testPathIgnorePatterns![0]).toBe('/fixtures/');
    expect(split.collectCoverage).toBe(true);
    expect(split).not.toHaveProperty('displayName');
  });

  test('projects given as paths cannot be split: one line, no stack', () => {
    let error: Error | undefined;
    try {
      planFlakeguardConfig({ projects: ['<rootDir>/packages/*'] }, {}, facts());
    } catch (e) {
      error = e as Error;
    }
    expect(error?.stack).toBe(
      'jest-flakeguard: withFlakeguard cannot split the project "<rootDir>/packages/*" given as a path: write it inline in "projects" (or call withFlakeguard in that config)',
    );
  });

  test('bad counts are refused', () => {
    expect(() => planFlakeguardConfig({}, { retries: -1 }, facts())).toThrow('withFlakeguard option retries must be a whole number ≥ 0, got -1');
    expect(() => planFlakeguardConfig({}, { historyLimit: 1.5 }, facts())).toThrow('historyLimit');
    expect(() => planFlakeguardConfig({}, { historyLimit: 0 }, facts())).toThrow('withFlakeguard option historyLimit must be a whole number ≥ 1, got 0');
  });

  test('nothing quarantined: flaky ignores everything, and passes with no tests only when it alone is selected', () => {
    const empty = facts({ quarantine: { schemaVersion: 1, entries: [] }, pragmaFiles: new Map() });
    const config = planFlakeguardConfig({}, {}, empty);
    expect(projectsOf(config)[1]!.testPathIgnorePatterns).toEqual(['/node_modules/', '.*']);
    expect(config.passWithNoTests).toBeUndefined();
    expect(planFlakeguardConfig({}, {}, { ...empty, argv: ['jest', '--selectProjects', 'flaky'] }).passWithNoTests).toBe(true);
    expect(planFlakeguardConfig({ passWithNoTests: false }, {}, { ...empty, argv: ['jest', '--selectProjects', 'flaky'] }).passWithNoTests).toBe(false);
  });
});

test('selectsOnly reads --selectProjects in its spellings', () => {
  expect(selectsOnly(['jest', '--selectProjects', 'flaky'], 'flaky')).toBe(true);
  expect(selectsOnly(['jest', '--selectProjects=flaky', '--ci'], 'flaky')).toBe(true);
  expect(selectsOnly(['jest', '--select-projects', 'flaky', 'flaky', '-i'], 'flaky')).toBe(true);
  expect(selectsOnly(['jest', '--selectProjects', 'flaky', 'stable'], 'flaky')).toBe(false);
  expect(selectsOnly(['jest'], 'flaky')).toBe(false);
});

describe('watch mode', () => {
  test("every project's watcher ignores the reporter's output directory, the user's patterns kept", () => {
    const config = planFlakeguardConfig({ watchPathIgnorePatterns: ['/tmp/'] }, {}, facts());
    for (const project of projectsOf(config)) expect(project.watchPathIgnorePatterns).toEqual(['/tmp/', `^${escape(abs('.flakeguard') + path.sep)}`]);
  });

  test('an outputDir given to withFlakeguard or in the user reporters entry is the one ignored', () => {
    const ours = planFlakeguardConfig({}, { reporter: { outputDir: 'out/fg' } }, facts());
    expect(projectsOf(ours)[0]!.watchPathIgnorePatterns).toEqual([`^${escape(abs('out/fg') + path.sep)}`]);
    const theirs = planFlakeguardConfig({ reporters: [['jest-flakeguard/reporter', { outputDir: '<rootDir>/fg' }]] }, {}, facts());
    expect(projectsOf(theirs)[1]!.watchPathIgnorePatterns).toEqual([`^${escape(abs('fg') + path.sep)}`]);
  });
});

describe('rootDir', () => {
  test("the top-level config's relative rootDir becomes the absolute one Jest resolved (inline projects would take it against the cwd)", () => {
    const config = planFlakeguardConfig({ rootDir: '../..' }, {}, facts({ projectRoot: () => '/abs/root' }));
    expect(projectsOf(config).map((p) => p.rootDir)).toEqual(['/abs/root', '/abs/root']);
  });

  test('without a rootDir the projects get none (Jest gives them the config file directory)', () => {
    expect(projectsOf(planFlakeguardConfig({}, {}, facts())).map((p) => p.rootDir)).toEqual([undefined, undefined]);
  });
});

describe('the quarantine sequencer', () => {
  test("Jest's testSequencer is ours; the user's own is resolved and named in every project's file selection", () => {
    const plain = planFlakeguardConfig({}, {}, facts());
    expect(plain.testSequencer).toBe('/pkg/quarantineSequencer.js');
    expect(decodeEnvironmentOptions(projectsOf(plain)[0]!.testEnvironmentOptions).own?.files).not.toHaveProperty('sequencer');
    const theirs = planFlakeguardConfig({ testSequencer: './seq.js' }, {}, facts());
    for (const project of projectsOf(theirs)) {
      expect(decodeEnvironmentOptions(project.testEnvironmentOptions).own?.files?.sequencer).toBe('/resolved/./seq.js');
    }
  });
});
