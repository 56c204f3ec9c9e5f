import * as path from 'path';
import { resolveOptions } from './options';

const root = path.resolve('/project');

function resolve(raw: unknown, env: NodeJS.ProcessEnv = {}) {
  const warnings: string[] = [];
  const options = resolveOptions(raw, root, env, (message) => warnings.push(message));
  return { options, warnings };
}

describe('resolveOptions', () => {
  test('defaults: .flakeguard under rootDir, no JUnit, GitHub output only on GitHub Actions', () => {
    expect(resolve(undefined).options).toEqual({
      outputDir: path.join(root, '.flakeguard'),
      manifestPath: path.join(root, '.flakeguard', 'last-run.json'),
      paths: {
        dir: path.join(root, '.flakeguard'),
        manifest: path.join(root, '.flakeguard', 'last-run.json'),
        history: path.join(root, '.flakeguard', 'history'),
        junit: path.join(root, '.flakeguard', 'junit.xml'),
        hunt: path.join(root, '.flakeguard', 'hunt.json'),
        quarantine: path.join(root, '.flakeguard', 'quarantine.json'),
      },
      junitPath: null,
      historyLimit: 200,
      github: false,
    });
    expect(resolve({}, { GITHUB_ACTIONS: 'true' }).options.github).toBe(true);
    expect(resolve({ github: false }, { GITHUB_ACTIONS: 'true' }).options.github).toBe(false);
  });

  test('<rootDir> is replaced (Jest does not do it for reporter options); relative paths are rootDir-relative', () => {
    expect(resolve({ outputDir: '<rootDir>/out/fg' }).options.outputDir).toBe(path.join(root, 'out', 'fg'));
    expect(resolve({ outputDir: 'reports' }).options.manifestPath).toBe(path.join(root, 'reports', 'last-run.json'));
    expect(resolve({ junit: true, outputDir: 'r' }).options.junitPath).toBe(path.join(root, 'r', 'junit.xml'));
    expect(resolve({ junit: '<rootDir>/junit/report.xml' }).options.junitPath).toBe(path.join(root, 'junit', 'report.xml'));
  });

  test('bad options are one-line warnings and fall back to defaults, never a thrown error', () => {
    const { options, warnings } = resolve({ outputDir: 3, junit: 'yes please'.length, github: 'auto', colour: true });
    expect(options).toEqual(resolve(undefined).options);
    expect(warnings).toEqual([
      'unknown reporter option "colour" (known: outputDir, junit, github, historyLimit)',
      'reporter option "outputDir" must be a non-empty string; using .flakeguard',
      'reporter option "junit" must be true or a file path; no JUnit report',
      'reporter option "github" must be true or false',
    ]);
  });
});
