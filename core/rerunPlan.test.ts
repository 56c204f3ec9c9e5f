import * as path from 'path';
import { emptyCounts, type Manifest } from './manifest';
import { planRerun, targetsNotFound } from './rerunPlan';

const root = path.resolve('/project');
const abs = (file: string) => path.join(root, ...file.split('/'));

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
    const plan = planRerun(manifest, root, { flaky: false });
    expect(plan.files).toEqual([abs('a.test.ts'), abs('c.test.ts'), abs('dir/b.test.ts')].sort());
    expect(plan.selection.include).toEqual({ [abs('a.test.ts')]: [['a b', 'c']], [abs('dir/b.test.ts')]: 'all', [abs('c.test.ts')]: 'all' });
    expect(plan.targets).toHaveLength(5);
    // The reporter of the rerun gets every target, project by project, to list the ones it does not find.
    expect(plan.selection.targets).toEqual(plan.targets.map(({ project, testPath, titles }) => ({ project, testPath, titles })));
    expect(plan.selection.targets).toContainEqual({ project: 'other', testPath: abs('a.test.ts'), titles: ['a b', 'c'] });
  });

  test('--flaky adds the flaky title paths', () => {
    expect(planRerun(manifest, root, { flaky: true }).selection.include![abs('a.test.ts')]).toEqual([['a b', 'c'], ['f']]);
  });

  test('a file outside rootDir stays absolute', () => {
    const outside = path.resolve('/elsewhere/x.test.ts');
    const plan = planRerun({ ...manifest, failed: [{ ...manifest.failed[0]!, file: outside }], fileErrors: [], notRun: [] }, root, { flaky: false });
    expect(plan.files).toEqual([outside]);
  });

  test('an all-passing manifest plans nothing', () => {
    const plan = planRerun({ ...manifest, failed: [], fileErrors: [], notRun: [] }, root, { flaky: false });
    expect(plan.targets).toEqual([]);
    expect(plan.files).toEqual([]);
  });
});

describe('targetsNotFound', () => {
  const plan = planRerun(manifest, root, { flaky: false });
  const exists = (file: string) => file !== abs('c.test.ts');

  test('a test path with no passed or failed result in a file that ran is not found; a gone file is not found', () => {
    const notFound = targetsNotFound(
      plan.targets,
      [
        { testPath: abs('a.test.ts'), failedToRun: false, tests: [{ titles: ['a', 'b c'], status: 'passed' }, { titles: ['a b', 'c'], status: 'pending' }] },
        { testPath: abs('dir/b.test.ts'), failedToRun: false, tests: [{ titles: ['x'], status: 'failed' }] },
      ],
      exists,
    );
    expect(notFound.map((t) => [t.project, t.file, t.titles])).toEqual([
      [null, 'c.test.ts', null],
      [null, 'a.test.ts', ['a b', 'c']],
      ['other', 'a.test.ts', ['a b', 'c']],
    ]);
  });

  test('a file reported once per project: a result that skipped the test does not hide the one that ran it', () => {
    const target = { project: 'stable', file: 'a.test.ts', testPath: abs('a.test.ts'), titles: ['t'] };
    const stable = { testPath: abs('a.test.ts'), failedToRun: false, tests: [{ titles: ['t'], status: 'failed' }] };
    const flaky = { testPath: abs('a.test.ts'), failedToRun: false, tests: [{ titles: ['t'], status: 'pending' }] };
    // Jest's --json report does not say which project a result is from; the flaky copy comes last.
    expect(targetsNotFound([target], [stable, flaky], () => true)).toEqual([]);
    // With projects known, the target's own project decides…
    expect(targetsNotFound([target], [{ ...stable, project: 'stable' }, { ...flaky, project: 'flaky' }], () => true)).toEqual([]);
    expect(targetsNotFound([target], [{ ...flaky, project: 'stable' }, { ...stable, project: 'flaky' }], () => true)).toEqual([target]);
    // …and a project that no result has (renamed since) falls back to every result for the path.
    expect(targetsNotFound([{ ...target, project: 'old name' }], [{ ...stable, project: 'stable' }], () => true)).toEqual([]);
  });

  test('a file that failed to run, or that the rerun never reached, hides nothing', () => {
    const notFound = targetsNotFound(plan.targets, [{ testPath: abs('a.test.ts'), failedToRun: true, tests: [] }], () => true);
    expect(notFound).toEqual([]);
  });
});
