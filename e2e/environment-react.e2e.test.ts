// React 19 + @testing-library/react on jsdom, as most UI suites run: state updates after the test, waitFor, fake
// timers with React's scheduler. Each clean twin has no finding and each leaky twin exactly its own, at the user's
// line; outcomes are jest-environment-jsdom's. React, react-dom and @testing-library/react resolve from the Jest
// install's node_modules (the repo's devDependencies, compat/jest29's for the Jest 29 pass).
import * as path from 'path';
import { copyFixture, removeFixture, runJestJson, type JestJson } from './harness';
import { readFindings } from './environmentFindings';
import type { Finding } from '../core/findings';

const outcomes = (json: JestJson): string[] =>
  json.testResults.flatMap((file) => file.assertionResults.map((r) => `${path.basename(file.name)} › ${r.title}: ${r.status}`)).sort();
const line = (f: Finding): string => `${f.check} | ${f.titles.join(' › ')} → ${f.reached?.join(' › ')} @ ${f.at} | ${f.message}`;

describe('React + @testing-library/react', () => {
  let dir: string;
  let stock: JestJson;
  let ours: JestJson;
  let findings: Finding[];
  beforeAll(async () => {
    dir = copyFixture('env-react');
    stock = (await runJestJson(dir, ['--ci', '--testEnvironment', 'jsdom'])).json;
    ours = (await runJestJson(dir, ['--ci'])).json;
    findings = readFindings(dir);
  });
  afterAll(() => removeFixture(dir));

  test('outcomes are jest-environment-jsdom’s, and no file crashes', () => {
    expect(stock.numFailedTests).toBe(0);
    expect(ours.numRuntimeErrorTestSuites).toBe(0);
    expect(outcomes(ours)).toEqual(outcomes(stock));
  });

  test('the clean twins have no finding', () => {
    expect(findings.filter((f) => /-clean\.test\.js$/.test(f.file)).map(line)).toEqual([]);
  });

  test('each leaky twin has its finding at the user’s line, reaching the next test', () => {
    expect(findings.map(line).sort()).toEqual(
      [
        // A state update after the test: the component's own timer, which its unmount does not cancel.
        'pending-timer | shows loading first → the next test @ src/greeting.js:20:5 | setTimeout (200 ms) still pending at the end of the test',
        // An un-awaited waitFor: its polling interval and its timeout, both started at the test's call.
        'pending-timer | forgets to await waitFor → the next test @ __tests__/wait-for.test.js:6:3 | setInterval (50 ms) still pending at the end of the test',
        'pending-timer | forgets to await waitFor → the next test @ __tests__/wait-for.test.js:6:3 | setTimeout (1000 ms) still pending at the end of the test',
        'fake-timers-left | ticks on fake time → the next test @ __tests__/fake-timers.test.js:7:8 | fake timers switched on and not switched back',
      ].sort(),
    );
  });
});
