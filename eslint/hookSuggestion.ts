// The mechanical fix several rules suggest: an `afterEach(() => …)` beside the tests whose leak it undoes.

import type { Rule } from 'eslint';
import type { Node } from './astPaths';
import type { FileModel, Owner } from './testScopes';

/**
 * A fixer adding `afterEach(() => <cleanup>);` where it covers the leak: after the `beforeEach` that made it, or, for
 * a test, after the last hook of its describe block (before the test when the block has none). Undefined when the
 * place has no statement list to insert into (an expression-bodied describe callback).
 */
export function afterEachFix(model: FileModel, owner: Owner, cleanup: string): Rule.ReportFixer | undefined {
  const text = `afterEach(() => ${cleanup});`;
  if (owner.kind === 'hook') {
    const statement = statementOf(owner.hook.call);
    return statement && ((fixer) => fixer.insertTextAfter(statement as never, `\n${indentOf(model, statement)}${text}`));
  }
  const { block } = owner.test;
  const lastHook = [...block.hooks].sort((a, b) => (a.call.range?.[0] ?? 0) - (b.call.range?.[0] ?? 0)).pop();
  if (lastHook) {
    const statement = statementOf(lastHook.call);
    return statement && ((fixer) => fixer.insertTextAfter(statement as never, `\n${indentOf(model, statement)}${text}`));
  }
  const statement = statementOf(owner.test.call);
  return statement && ((fixer) => fixer.insertTextBefore(statement as never, `${text}\n${indentOf(model, statement)}`));
}

/** The statement a Jest call stands in, when it is a statement of a block or of the file. */
function statementOf(call: Node): Node | undefined {
  const statement = call.parent;
  if (statement?.type !== 'ExpressionStatement') return undefined;
  const list = statement.parent;
  return list && (list.type === 'BlockStatement' || list.type === 'Program') ? statement : undefined;
}

function indentOf(model: FileModel, node: Node): string {
  const line = model.sourceCode.lines[(node.loc?.start.line ?? 1) - 1] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}
