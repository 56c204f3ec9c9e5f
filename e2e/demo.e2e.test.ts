// The README's quick start: `npm run demo` (after the build `npm test` already did) goes as it says — the
// required check fails on exactly the timing test, the leaked spy is a finding with its line and, with the
// demo's opt-in `isolate: true`, undone (the next test sees the real function), the rerun passes, and the
// quarantined test is rescued by a retry. The demo drives the repo's own Jest 30, so the Jest 29 pass skips it.
import * as fs from 'fs';
import * as path from 'path';
import { JEST_MAJOR, REPO, runNode } from './harness';

const demo = path.join(REPO, 'fixtures', 'demo');
const maybe = JEST_MAJOR === 30 ? test : test.skip;

maybe(
  'npm run demo: one failed test (the timing one), the spy finding at its line, a passing rerun, a rescued flaky test',
  async () => {
    const run = await runNode(path.join(REPO, 'scripts', 'demo.js'), [], REPO);
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stdout + run.stderr }).toEqual({ status: 0, stderr: '' });
    // The last step's manifest is the quarantine's: the flaky test passed on its second attempt.
    const manifest = JSON.parse(fs.readFileSync(path.join(demo, '.flakeguard', 'last-run.json'), 'utf8'));
    expect(manifest.flaky.map((t: { file: string }) => t.file)).toEqual(['__tests__/upload.test.js']);
    // The required check's outcome, as the demo printed it from its manifest before the rerun replaced it.
    expect(run.stdout).toMatch(/^ {2}failed {3}__tests__\/clock\.test\.js › /m);
    expect(run.stdout).not.toMatch(/^ {2}failed {3}__tests__\/profile\.test\.js/m);
    expect(run.stdout).toMatch(/^ {2}finding {2}unrestored-spy at __tests__\/profile\.test\.js:7:\d+: /m);
  },
  300_000,
);
