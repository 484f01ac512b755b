import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import layering from './lint/layering-rule.mjs';

// Layering, checked on every lint run (VS Code style), by lint/layering-rule.mjs: every import is
// resolved to a real path, built-in or package first, then checked against its layer table:
//   shared/   -> nothing platform-specific (it is bundled into the renderer and the preload)
//   core      -> never electron, a host or the UI (runs and is tested under plain Node)
//   renderer  -> never the core, electron or Node
//   only electron/main/ipc-binding.ts touches ipcMain; only the preload touches ipcRenderer
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.test-run/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['shared/**/*.ts', 'renderer/**/*.{ts,tsx}', 'electron/**/*.{ts,mts}'],
    plugins: { mailroom: layering },
    rules: { 'mailroom/layering': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['electron/main/**/*.ts'],
    ignores: ['electron/main/ipc-binding.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Only electron/main/ipc-binding.ts binds ipcMain.',
        },
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Only the preload touches ipcRenderer.',
        },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ['electron/preload/**', 'electron/main/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcRenderer']",
          message: 'Only the preload touches ipcRenderer.',
        },
      ],
    },
  },
);
