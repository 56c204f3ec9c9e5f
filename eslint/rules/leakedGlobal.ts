// Rule `leaked-global`: a property of the global object (`globalThis`, `global`, `window`, `self`) assigned by a test
// or a beforeEach and not removed or put back before the next test.

import type { Rule } from 'eslint';
import { unwrap, type Node } from '../astPaths';
import { allowsCheck } from '../docblock';
import { keyedWrite, unrestoredWrites, type KeyedWrite } from '../keyedWrites';
import { fileModel } from '../testScopes';

const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'a global assigned for a test must be removed or put back before the next test' },
    schema: [],
    messages: {
      global: 'global {{key}} is assigned here and not removed before the next test: delete it (or put the original back) in afterEach',
      some: 'a global (computed key) is assigned here and not removed before the next test: delete it (or put the original back) in afterEach',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'leaked-global')) return;
        const model = fileModel(context.sourceCode);
        const sourceCode = context.sourceCode;
        const isGlobalObject = (object: Node): boolean => {
          const bare = unwrap(object);
          if (bare.type !== 'Identifier' || !GLOBAL_OBJECTS.has(bare.name)) return false;
          // `const window = …` in the file is the file's own object.
          const scope = sourceCode.getScope(bare as never);
          for (let current: typeof scope | null = scope; current; current = current.upper) {
            const variable = current.set.get(bare.name);
            if (variable && variable.defs.length > 0) return false;
          }
          return true;
        };
        const find = (node: Node): KeyedWrite | undefined => {
          const write = keyedWrite(node, isGlobalObject);
          return write && write.kind !== 'assign-all' ? write : undefined;
        };
        for (const { write } of unrestoredWrites(model, find)) {
          if (write.kind === 'delete') continue; // removing a global is not leaving one behind
          context.report({ node: write.node as never, messageId: write.key === '*' ? 'some' : 'global', data: { key: write.key } });
        }
      },
    };
  },
};
