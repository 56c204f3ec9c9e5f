import { ReportLineFilter } from './rerun';

const LINE = 'Test results written to: ../../tmp/flakeguard-rerun-Ab12/jest-report.json\n';

function filtered(chunks: string[]): { text: string; writes: string[] } {
  const writes: string[] = [];
  const filter = new ReportLineFilter((text) => writes.push(text));
  for (const chunk of chunks) filter.push(Buffer.from(chunk));
  filter.end();
  return { text: writes.join(''), writes };
}

describe("the rerun's stderr without Jest's line about its scratch report", () => {
  test('the line is gone, the rest intact, wherever the chunks split it', () => {
    const whole = `PASS a.test.js\n${LINE}Tests: 1 passed\n`;
    for (let cut = 0; cut <= whole.length; cut++) {
      expect(filtered([whole.slice(0, cut), whole.slice(cut)]).text).toBe('PASS a.test.js\nTests: 1 passed\n');
    }
  });

  test('a status line without a newline is written at once, not held', () => {
    expect(filtered(['\x1b[2KRUNS a.test.js']).writes[0]).toBe('\x1b[2KRUNS a.test.js');
  });

  test("a report line about another file (the user's own --outputFile) stays", () => {
    const other = 'Test results written to: out/results.json\n';
    expect(filtered([other]).text).toBe(other);
  });
});
