// One lint config for the whole repo: type-aware rules that catch what bites a NestJS service.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tools/**',
      '.runnerly/**',
      'test-artifacts/**',
      'apps/dashboard/web/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    // One TypeScript program for the services (and one for the page): a program per package's
    // tsconfig (projectService) reloads the shared sources and types sixteen times, past 4 GB.
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './apps/dashboard/web/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  { files: ['scripts/**', 'bench/**', 'apps/*/bench/**', '**/cli/**'], rules: { 'no-console': 'off' } },
);
