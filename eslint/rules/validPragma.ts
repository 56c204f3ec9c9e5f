// Rule `valid-pragma`: what jest-flakeguard's runner would warn about in a file's pragmas, before the run — a
// `@serial` or `@flaky` outside the leading docblock, a misspelt pragma, an invalid resource name, an unknown check
// in `@flakeguard-allow` — found by the runner's own parser, so the two never disagree.

import type { AST, Rule } from 'eslint';
import { jestDocblock } from '../../io/jestHost';
import { CHECK_NAMES } from '../../core/findings';
import { nearestKnown } from '../../core/pragmas';
import { filePragmas, isCheckName } from '../docblock';

export const rule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: "jest-flakeguard's pragmas must be in the leading docblock and spelt right" },
    hasSuggestions: true,
    schema: [],
    messages: {
      pragma: '{{message}}',
      unknownCheck: "@flakeguard-allow: unknown check '{{name}}' (known: {{known}}); the environment fails the file",
      rename: 'Replace @{{from}} with @{{to}}',
    },
  },
  create(context) {
    return {
      Program() {
        const sourceCode = context.sourceCode;
        const lines = sourceCode.lines;
        for (const warning of filePragmas(sourceCode, context.filename).warnings) {
          const text = lines[warning.line - 1] ?? '';
          const quoted = /"([^"]+)"/.exec(warning.message)?.[1];
          const column = Math.max(0, quoted && text.includes(quoted) ? text.indexOf(quoted) : text.indexOf('@'));
          const tag = /@([\w-]+)/.exec(text.slice(column))?.[1];
          const near = tag ? nearestKnown(tag) : undefined;
          const loc: AST.SourceLocation = { start: { line: warning.line, column }, end: { line: warning.line, column: column + (tag ? tag.length + 1 : 1) } };
          const offset = sourceCode.getIndexFromLoc({ line: warning.line, column });
          context.report({
            loc,
            messageId: 'pragma',
            data: { message: warning.message },
            suggest:
              tag && near && near !== tag && warning.message.startsWith('unknown pragma')
                ? [{ messageId: 'rename', data: { from: tag, to: near }, fix: (fixer) => fixer.replaceTextRange([offset + 1, offset + 1 + tag.length], near) }]
                : [],
          });
        }
        const { extract, parse } = jestDocblock();
        const docblock = extract(sourceCode.text);
        if (!docblock) return;
        const allow = parse(docblock)['flakeguard-allow'];
        const words = (Array.isArray(allow) ? allow : allow === undefined ? [] : [allow]).flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
        for (const name of words.filter((word) => !isCheckName(word))) {
          const index = sourceCode.text.indexOf(name, sourceCode.text.indexOf('@flakeguard-allow'));
          const start = sourceCode.getLocFromIndex(index);
          context.report({
            loc: { start, end: sourceCode.getLocFromIndex(index + name.length) },
            messageId: 'unknownCheck',
            data: { name, known: CHECK_NAMES.join(', ') },
          });
        }
      },
    };
  },
};
