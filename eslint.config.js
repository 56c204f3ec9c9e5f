// ESLint for this repository's own code (`npm run lint:code`, run by .ci/run before the tests): ESLint's and
// typescript-eslint's recommended rules. Not to be confused with eslint/, the plugin we ship for users' test files.
const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  // Fixture projects are test input (some leak or fail on purpose), compat/ is another Jest install, dist/ is built.
  { ignores: ['dist/', 'fixtures/', 'compat/', '.e2e-tmp/', '**/node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs', globals: globals.node },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A CommonJS package: `require` loads a subcommand, the running Jest's own packages or a user's module only
      // when needed, by a path computed at run time (io/jestHost, cli/flakeguard) — what `import` cannot do here.
      '@typescript-eslint/no-require-imports': 'off',
      // `_name` marks what a signature or a destructuring must name and the code does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Specs assert that no terminal escape or control character reaches an output: their patterns name them.
    files: ['**/*.test.ts'],
    rules: { 'no-control-regex': 'off' },
  },
);
