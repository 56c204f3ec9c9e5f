// Rule `leaked-env`: `process.env` written by a test or a beforeEach and not put back before the next test.

import type { Rule } from 'eslint';
import { pathOf, type Node } from '../astPaths';
import { allowsCheck } from '../docblock';
import { keyedWrite, unrestoredWrites, type KeyedWrite } from '../keyedWrites';
import { fileModel } from '../testScopes';

const isEnv = (node: Node): boolean => pathOf(node) === 'process.env';

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'process.env written for a test must be put back before the next test' },
    schema: [],
    messages: {
      set: 'process.env.{{key}} is set here and not put back before the next test: save it, and restore it in afterEach',
      delete: 'process.env.{{key}} is deleted here and not put back before the next test: save it, and restore it in afterEach',
      some: 'process.env is written here (a computed key) and not put back before the next test: save it, and restore it in afterEach',
      replace: 'process.env is replaced here and not put back before the next test: keep the original, and put it back in afterEach or afterAll',
    },
  },
  create(context) {
    return {
      'Program:exit'() {
        if (allowsCheck(context.sourceCode, context.filename, 'leaked-env')) return;
        const model = fileModel(context.sourceCode);
        const find = (node: Node): KeyedWrite | undefined => keyedWrite(node, isEnv, isEnv);
        // `beforeEach(() => { process.env = { ...OLD_ENV } })` (the Jest docs' way) gives every later test its own copy:
        // a wholesale write in a later test's beforeEach undoes a test's writes, as any write of the same key does.
        for (const { write } of unrestoredWrites(model, find)) {
          const messageId = write.kind === 'replace' ? 'replace' : write.key === '*' ? 'some' : write.kind === 'delete' ? 'delete' : 'set';
          context.report({ node: write.node as never, messageId, data: { key: write.key } });
        }
      },
    };
  },
};
