// The readable summary of a hunt report: what `flakeguard hunt` prints when it is done.

import { testName, type HuntReport, type HuntTest } from './huntReport';

const percent = (x: number): string => `${Math.round(x * 100)}%`;

function classLabel(test: HuntTest): string {
  if (test.class === 'order-dependent') return `order-dependent ${test.role ?? ''}`.trim();
  return test.class;
}

function culpritLine(test: HuntTest): string | null {
  if (test.class !== 'order-dependent' || test.culprits.length === 0) return null;
  const names = test.culprits.map(testName).join(' + ');
  return test.role === 'brittle' ? `passes only after ${names}` : `fails after ${names}`;
}

/** Lines to print; every line starts with our own words or indentation, never with a test's name. */
export function formatHuntSummary(report: HuntReport, shownPath: string): string[] {
  const flaky = report.tests.filter((test) => test.class !== 'clean');
  const unsettled = report.tests.filter((test) => test.class === 'clean' && !test.settled).length;
  const lines = [
    `flakeguard hunt: ${report.runs.length} runs (stopped: ${report.stopReason}), ${report.tests.length} tests, ` +
      `${flaky.length} flaky, ${report.probes} probe runs — ${shownPath}`,
  ];
  for (const test of flaky) {
    lines.push(
      `  ${classLabel(test).padEnd(26)} ${test.failures}/${test.runs} failed, ${percent(test.flakeRate)} ` +
        `[${percent(test.interval.low)}–${percent(test.interval.high)}]  ${testName(test)}`,
    );
    const culprit = culpritLine(test);
    if (culprit) lines.push(`      ${culprit}`);
    if (test.class === 'timing-sensitive')
      lines.push(`      failed ${test.stressed.failures}/${test.stressed.runs} runs under CPU stress, ${test.calm.failures}/${test.calm.runs} calm`);
    if (test.firstFailedRun !== null) lines.push(`      first failed in run ${test.firstFailedRun}: flakeguard hunt --replay ${test.firstFailedRun}`);
  }
  for (const proven of report.proven) {
    lines.push(`  proven: ${proven.check}  ${proven.message}${proven.at ? `  (${proven.at})` : ''}`);
    lines.push(`      in ${testName(proven.leaker)}, it makes ${testName(proven.affected)} ${proven.effect === 'fails' ? 'fail' : 'pass'}`);
  }
  if (unsettled > 0) {
    lines.push(
      `  ${unsettled} tests passed every run but too few runs to rule out a ${percent(report.options.rate)} flake rate at ${percent(report.options.confidence)} confidence (more --runs)`,
    );
  }
  if (flaky.length > 0) lines.push('  quarantine them: npx flakeguard quarantine add --from-hunt');
  return lines;
}
