// Real-world shapes that fooled the environment (from /work/suites/repros), each clean twin with no finding and each
// leaky twin with exactly its finding at the user's line; outcomes as under jest-environment-node.
import * as fs from 'fs';
import * as path from 'path';
import { copyFixture, removeFixture, runJestJson, type JestJson } from './harness';
import { readFindings } from './environmentFindings';

const outcomes = (json: JestJson): string[] =>
  json.testResults.flatMap((file) => file.assertionResults.map((r) => `${path.basename(file.name)} › ${r.title}: ${r.status}`)).sort();

test('library timers, waitFor, env keys reset by beforeEach, spies re-made in beforeEach or on a test’s own object', async () => {
  const dir = copyFixture('env-corpus');
  try {
    // The fixture's library, installed as a user installs one (copies of fixtures never carry node_modules).
    fs.cpSync(path.join(dir, 'packages'), path.join(dir, 'node_modules'), { recursive: true });
    const stock = await runJestJson(dir, ['--ci', '--testEnvironment', 'node']);
    const ours = await runJestJson(dir, ['--ci']);
    expect(ours.json.numRuntimeErrorTestSuites).toBe(0);
    expect(outcomes(ours.json)).toEqual(outcomes(stock.json));
    expect(stock.json.numFailedTests).toBe(0);
    expect(
      readFindings(dir)
        .map((f) => `${f.check} | ${f.titles.join(' › ')} → ${f.reached?.join(' › ')} @ ${f.at}`)
        .sort(),
    ).toEqual(
      [
        'leaked-env | turns colour off → the next test still sees it @ __tests__/env-leak.test.js:3:29',
        'pending-timer | forgets to await waitFor → the next test @ __tests__/wait-for.test.js:6:3',
        'unrestored-spy | leaky twin: a spy on a module export left in place › spies and leaves it → leaky twin: a spy on a module export left in place › the next test @ __tests__/spy-before-each.test.js:15:10',
      ].sort(),
    );
  } finally {
    removeFixture(dir);
  }
});
