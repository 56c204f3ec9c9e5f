// Prints a block after Jest's own summary, for every reporter of ours (the run's block, the quarantine's block).

/**
 * Jest adds its SummaryReporter after every custom reporter, so our onRunComplete runs before Jest's summary.
 * Printing on the next turn of the event loop puts the block after it; `exit` covers a run that ends at once
 * (`--bail` calls process.exit; writes to pipes and files are synchronous there).
 */
export function printAfterJestSummary(text: string): void {
  if (!text) return;
  // Jest's exit helper (on --bail) replaces stderr.write with a no-op before exiting: keep the real one.
  const write = process.stderr.write;
  let printed = false;
  const print = (): void => {
    if (printed) return;
    printed = true;
    process.removeListener('exit', print);
    write.call(process.stderr, text);
  };
  process.once('exit', print);
  setImmediate(print);
}
