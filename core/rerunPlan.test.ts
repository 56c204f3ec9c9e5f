import * as path from 'path';
import { emptyCounts, type Manifest } from './manifest';
import { planRerun, resolveTestPath, targetsNotFound, type JestProjects } from './rerunPlan';

const root = path.resolve('/project');
const abs = (file: string) => path.join(root, ...file.split('/'));
const jestFacts: JestProjects = { rootDir: root, roots: [root], names: null };

const manifest: Manifest = {
  schemaVersion: 1,
  tool: 'jest-flakeguard',
  status: 'failed',
  startedAt: 'a',
  finishedAt: 'b',
  jestVersion: '30.5.2',
  shard: null,
  seed: 1,
  counts: emptyCounts(),
  failed: [
    { project: null, file: 'a.test.ts', titles: ['a b', 'c'], attempts: 1, message: '' },
    { project: 'other', file: 'a.test.ts', titles: ['a b', 'c'], attempts: 1, message: '' },
    { project: null, file: 'dir/b.test.ts', titles: ['x'], attempts: 1, message: '' },
  ],
  flaky: [{ project: null, file: 'a.test.ts', titles: ['f'], attempts: 2, message: '' }],
  fileErrors: [{ project: null, file: 'dir/b.test.ts', message: 'boom' }],
  notRun: [{ project: null, file: 'c.test.ts' }],
  findings: [],
};

describe('planRerun', () => {
  test('failed title paths (once per path), whole files for file errors and files not run', () => {
    const plan = planRerun(manifest, jestFacts, { flaky: false });
    expect(plan.files).toEqual([abs('a.test.ts'), abs('c.test.ts'), abs('dir/b.test.ts')].sort());
    expect(plan.selection.include).toEqual({ [abs('a.test.ts')]: [['a b', 'c']], [abs('dir/b.test.ts')]: 'all', [abs('c.test.ts')]: 'all' });
    expect(plan.targets).toHaveLength(5);
    // The reporter of the rerun gets every target, project by project, to list the ones it does not find.
    expect(plan.selection.targets).toEqual(plan.targets.map(({ project, file, testPath, titles }) => ({ project, file, testPath, titles })));
    expect(plan.selection.targets).toContainEqual({ project: 'other', file: 'a.test.ts', testPath: abs('a.test.ts'), titles: ['a b', 'c'] });
  });

  test('--flaky adds the flaky title paths', () => {
    expect(planRerun(manifest, jestFacts, { flaky: true }).selection.include![abs('a.test.ts')]).toEqual([['a b', 'c'], ['f']]);
  });

  test('a file outside rootDir stays absolute', () => {
    const outside = path.resolve('/elsewhere/x.test.ts');
    const only = { ...manifest, failed: [{ ...manifest.failed[0]!, file: outside }], fileErrors: [], notRun: [] };
    // …and runs when it lies under a root Jest reports,
    expect(planRerun(only, { ...jestFacts, roots: [root, path.resolve('/elsewhere')] }, { flaky: false }).files).toEqual([outside]);
    // …but is refused anywhere else.
    const refused = planRerun(only, jestFacts, { flaky: false });
    expect(refused.files).toEqual([]);
    expect(refused.targets.map((t) => t.refused)).toEqual(['outside-root']);
  });

  test('an all-passing manifest plans nothing', () => {
    const plan = planRerun({ ...manifest, failed: [], fileErrors: [], notRun: [] }, jestFacts, { flaky: false });
    expect(plan.targets).toEqual([]);
    expect(plan.files).toEqual([]);
  });
});

describe('what a manifest may hand Jest', () => {
  const entry = (project: string | null, file: string) => ({ project, file, titles: ['t'], attempts: 1, message: '' });
  const only = (...failed: Manifest['failed']): Manifest => ({ ...manifest, failed, fileErrors: [], notRun: [] });
  const named: JestProjects = { ...jestFacts, names: new Set(['stable', 'flaky']) };

  test('a project name that looks like an option is refused, even when Jest knows nothing of projects', () => {
    const plan = planRerun(only(entry('stable', 'a.test.ts'), entry('--config=../evil.config.js', 'a.test.ts')), jestFacts, { flaky: false });
    expect(plan.targets.map((t) => t.refused)).toEqual([null, 'unknown-project']);
    expect(plan.projects).toEqual(['stable']);
    expect(plan.selection.targets!.map((t) => t.refused)).toEqual([undefined, 'unknown-project']);
  });

  test('project names are checked against the projects Jest reports; a target without one needs a project without one', () => {
    const plan = planRerun(only(entry('stable', 'a.test.ts'), entry('renamed', 'b.test.ts'), entry(null, 'c.test.ts')), named, { flaky: false });
    expect(plan.targets.map((t) => t.refused)).toEqual([null, 'unknown-project', 'unknown-project']);
    expect(plan.files).toEqual([abs('a.test.ts')]);
    expect(plan.selection.include).toEqual({ [abs('a.test.ts')]: [['t']] });
    expect(planRerun(only(entry(null, 'c.test.ts')), { ...jestFacts, names: new Set([null]) }, { flaky: false }).files).toEqual([abs('c.test.ts')]);
  });

  test('files resolve inside rootDir or a root Jest reports; nothing else is handed to Jest', () => {
    expect(resolveTestPath('a/b.test.ts', jestFacts)).toBe(abs('a/b.test.ts'));
    expect(resolveTestPath('a/../b.test.ts', jestFacts)).toBe(abs('b.test.ts'));
    for (const bad of ['../x.test.ts', 'a/../../x.test.ts', '..', '.', '', 'a\0b', path.resolve('/etc/passwd'), `${root}-sibling/x.test.ts`]) {
      expect([bad, resolveTestPath(bad, jestFacts)]).toEqual([bad, null]);
    }
    // Whatever the manifest says, what reaches Jest is an absolute path: never an option.
    const plan = planRerun(only(entry(null, '--config=evil.js'), entry(null, '-c')), jestFacts, { flaky: false });
    expect(plan.files).toEqual([abs('--config=evil.js'), abs('-c')]);
    expect(plan.files.every((file) => path.isAbsolute(file))).toBe(true);
  });
});

describe('targetsNotFound', () => {
  const plan = planRerun(manifest, jestFacts, { flaky: false });
  const exists = (file: string) => file !== abs('c.test.ts');
  const brief = (list: ReturnType<typeof targetsNotFound>) => list.map(({ target, why }) => [target.project, (target as { file?: string }).file, target.titles, why]);

  test('a test path with no passed or failed result in a file that ran is not found; a gone file is not found', () => {
    const notFound = targetsNotFound(
      plan.targets,
      [
        {
          testPath: abs('a.test.ts'),
          failedToRun: false,
          tests: [
            { titles: ['a', 'b c'], status: 'passed' },
            { titles: ['a b', 'c'], status: 'pending' },
          ],
        },
        { testPath: abs('dir/b.test.ts'), failedToRun: false, tests: [{ titles: ['x'], status: 'failed' }] },
      ],
      { fileExists: exists },
    );
    expect(brief(notFound)).toEqual([
      [null, 'c.test.ts', null, 'file-gone'],
      [null, 'a.test.ts', ['a b', 'c'], 'test-missing'],
      ['other', 'a.test.ts', ['a b', 'c'], 'test-missing'],
    ]);
  });

  test('a file Jest never ran (filtered by testMatch, testPathIgnorePatterns, roots) is not found, unless the run never reached it', () => {
    const results = [{ testPath: abs('dir/b.test.ts'), failedToRun: false, tests: [{ titles: ['x'], status: 'failed' }] }];
    expect(brief(targetsNotFound(plan.targets, results, { fileExists: () => true }))).toEqual([
      [null, 'c.test.ts', null, 'file-not-run'],
      [null, 'a.test.ts', ['a b', 'c'], 'file-not-run'],
      ['other', 'a.test.ts', ['a b', 'c'], 'file-not-run'],
    ]);
    const notReached = (testPath: string) => testPath === abs('c.test.ts');
    expect(brief(targetsNotFound(plan.targets, results, { fileExists: () => true, notReached })).map((t) => t[1])).toEqual(['a.test.ts', 'a.test.ts']);
  });

  test("a file reported once per project: only the target's own project counts where results name their project", () => {
    const target = { project: 'stable', file: 'a.test.ts', testPath: abs('a.test.ts'), titles: ['t'] };
    const stable = { testPath: abs('a.test.ts'), failedToRun: false, tests: [{ titles: ['t'], status: 'failed' }] };
    const flaky = { testPath: abs('a.test.ts'), failedToRun: false, tests: [{ titles: ['t'], status: 'pending' }] };
    const yes = { fileExists: () => true };
    // Jest's --json report does not say which project a result is from; the flaky copy comes last.
    expect(targetsNotFound([target], [stable, flaky], yes)).toEqual([]);
    // With projects known, the target's own project decides…
    expect(
      targetsNotFound(
        [target],
        [
          { ...stable, project: 'stable' },
          { ...flaky, project: 'flaky' },
        ],
        yes,
      ),
    ).toEqual([]);
    expect(
      brief(
        targetsNotFound(
          [target],
          [
            { ...flaky, project: 'stable' },
            { ...stable, project: 'flaky' },
          ],
          yes,
        ),
      ),
    ).toEqual([['stable', 'a.test.ts', ['t'], 'test-missing']]);
    // …and a project that no result has (renamed, or no longer taking the file) is a project mismatch: not found.
    expect(brief(targetsNotFound([{ ...target, project: 'old name' }], [{ ...stable, project: 'stable' }], yes))).toEqual([['old name', 'a.test.ts', ['t'], 'file-not-run']]);
  });

  test('a file that failed to run hides its tests; a refused target is not found whatever ran', () => {
    const failed = [{ testPath: abs('a.test.ts'), failedToRun: true, tests: [] }];
    const ranA = plan.targets.filter((t) => t.file === 'a.test.ts');
    expect(targetsNotFound(ranA, failed, { fileExists: () => true })).toEqual([]);
    const refused = { ...ranA[0]!, refused: 'unknown-project' as const };
    expect(brief(targetsNotFound([refused], failed, { fileExists: () => true }))).toEqual([[null, 'a.test.ts', ['a b', 'c'], 'unknown-project']]);
  });
});
