// Applies a test selection (core/selection) to jest-circus's tree before any test runs: unselected tests are skipped.

import type { Circus } from '@jest/types';
import { selectTest, type Selection } from '../core/selection';

/** Title path of a test: describe titles (the root block excluded), then the test's own title. */
export function titlePath(test: Circus.TestEntry): string[] {
  const titles = [test.name];
  for (let block = test.parent; block && block.parent; block = block.parent) titles.unshift(block.name);
  return titles;
}

/** Marks as skipped every test of `root` that `selections` do not let run. Returns how many were skipped. */
export function applySelections(root: Circus.DescribeBlock, testPath: string, selections: readonly Selection[]): number {
  let skipped = 0;
  const visit = (block: Circus.DescribeBlock): void => {
    for (const child of block.children) {
      if (child.type === 'describeBlock') {
        visit(child);
      } else if (child.mode !== 'skip' && child.mode !== 'todo') {
        const titles = titlePath(child);
        if (selections.some((selection) => !selectTest(selection, testPath, titles).run)) {
          child.mode = 'skip';
          skipped++;
        }
      }
    }
  };
  visit(root);
  return skipped;
}
