// ESLint 9 flat config (npm run lint, run by .ci/run): the recommended rules of ESLint and
// typescript-eslint over every TypeScript file tsc checks. Not type-aware: measured on this 2-core
// machine, the type-checked rules cost several times the whole run (README, "Lint").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'out/', '.amiable/', 'bench-results/', '.scratch/', '.vitest/', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a name left unused on purpose: a field dropped by destructuring
      // (`const { pk: _pk, ...rest } = item`), a callback parameter kept for its position.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests, local emulators, scripts and the CLI handle untyped JSON (HTTP responses, emulator
    // payloads, SDK internals they instrument); the handlers and the infrastructure keep the rule.
    files: ['test/**', 'local/**', 'scripts/**', 'cli/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
