import { decodePlannedTests, PLANNED_TESTS_VERSION, plannedTests, publishPlannedTests, resetPlannedTests } from './plannedTests';

const KEY = Symbol.for('jest-flakeguard.plannedTests');
const store = globalThis as { [KEY]?: unknown };

afterEach(() => {
  delete store[KEY];
});

describe('the planned-tests channel', () => {
  test('round trip: what the runner publishes the reporter reads, per project, a file published twice once', () => {
    expect(plannedTests()).toBeUndefined();
    publishPlannedTests([
      { path: '/r/a.test.js', project: null },
      { path: '/r/a.test.js', project: 'flaky' },
    ]);
    publishPlannedTests([{ path: '/r/a.test.js', project: null }]);
    expect(plannedTests()).toEqual([
      { path: '/r/a.test.js', project: null },
      { path: '/r/a.test.js', project: 'flaky' },
    ]);
    resetPlannedTests();
    expect(plannedTests()).toEqual([]);
  });

  test('a registry of another version is refused by every reader and writer, named by the channel', () => {
    store[KEY] = { version: PLANNED_TESTS_VERSION + 1, projects: new Map() };
    const foreign = /^planned-tests channel: version 2 is not this jest-flakeguard's \(1\)/;
    expect(() => plannedTests()).toThrow(foreign);
    expect(() => publishPlannedTests([{ path: '/r/a.test.js', project: null }])).toThrow(foreign);
    expect(() => resetPlannedTests()).toThrow(foreign);
    // The registry of earlier jest-flakeguard versions (a bare Map keyed by `project\0path`) is foreign too.
    store[KEY] = new Map([['\0/r/a.test.js', { path: '/r/a.test.js', project: null }]]);
    expect(() => plannedTests()).toThrow(/^planned-tests channel: version undefined is not/);
  });

  test.each([
    ['a string', 'planned', 'the registry must be an object, not string'],
    ['no projects', { version: 1, projects: {} }, '"projects" must be a Map'],
    ['a project that is no name', { version: 1, projects: new Map([[7, new Map()]]) }, 'project 7 must be a name or null'],
    ['tests that are no Map', { version: 1, projects: new Map([[null, ['/r/a.test.js']]]) }, 'the tests of project null must be a Map'],
    [
      'an entry that does not match its keys',
      { version: 1, projects: new Map([['flaky', new Map([['/r/a.test.js', { path: '/r/b.test.js', project: 'flaky' }]])]]) },
      'the entry "/r/a.test.js" of project "flaky" must be {path, project} matching its keys',
    ],
  ])('malformed: %s is a one-line error naming the channel', (_, value, problem) => {
    expect(() => decodePlannedTests(value)).toThrow(`planned-tests channel: ${problem}`);
    store[KEY] = value;
    expect(() => plannedTests()).toThrow(`planned-tests channel: ${problem}`);
  });
});
