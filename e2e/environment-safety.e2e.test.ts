// First, do no harm: with default options every test ends as under the environment flakeguard wraps, and no file
// crashes; with isolate: true what jsdom owns is never touched.
import { copyFixture, removeFixture, runJestJson, type JestJson } from './harness';
import { readFindings } from './environmentFindings';

const outcomes = (json: JestJson): string[] =>
  json.testResults.flatMap((file) => file.assertionResults.map((r) => `${file.name.slice(file.name.lastIndexOf('/') + 1)} › ${r.title}: ${r.status}`)).sort();

describe('default mode changes no outcome', () => {
  test('an order-dependent file: the same passes and failures as under jest-environment-node', async () => {
    const dir = copyFixture('env-isolation');
    try {
      const stock = await runJestJson(dir, ['--ci', '--testEnvironment', 'node']);
      const ours = await runJestJson(dir, ['--ci']);
      expect(stock.json.numFailedTests).toBe(5);
      expect(outcomes(ours.json)).toEqual(outcomes(stock.json));
      // Reported all the same: the first test's leaks reach the second.
      expect(
        readFindings(dir)
          .map((f) => f.check)
          .sort(),
      ).toEqual(['fake-timers-left', 'leaked-env', 'leaked-global', 'unrestored-spy', 'unused-mock-once']);
    } finally {
      removeFixture(dir);
    }
  });
});

describe('jsdom: window indices and named properties are the document’s', () => {
  test('with isolate: true, no finding, nothing undone, no crash at teardown; outcomes as under jest-environment-jsdom', async () => {
    const dir = copyFixture('env-jsdom-owned');
    try {
      const stock = await runJestJson(dir, ['--ci', '--testEnvironment', 'jsdom']);
      const ours = await runJestJson(dir, ['--ci']);
      expect(stock.json.numFailedTests).toBe(0);
      expect(ours.status).toBe(0);
      expect(ours.json.numRuntimeErrorTestSuites).toBe(0);
      expect(outcomes(ours.json)).toEqual(outcomes(stock.json));
      expect(ours.stderr).not.toContain('jest-flakeguard:');
      expect(readFindings(dir)).toEqual([]);
    } finally {
      removeFixture(dir);
    }
  });
});
