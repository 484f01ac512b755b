import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'net',
  'tls',
  'dns',
  'http',
  'https',
  'crypto',
  'child_process',
  'stream',
  'url',
  'util',
  'events',
];

// Layering, checked on every lint run (VS Code style):
//   shared/   -> imports neither electron nor Node built-ins (it is bundled into the renderer)
//   core      -> never imports electron (runs and is tested under plain Node)
//   renderer  -> never imports the core, electron or Node
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
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ is bundled into the renderer: no electron.' }],
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is bundled into the renderer: no Node built-ins.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing of ours.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts', 'electron/browser-host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The core runs under plain Node: never import electron.' }],
          patterns: [
            {
              group: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**'],
              message: 'The core must not depend on a host or the UI.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'electron/browser-host/bridge-client.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.mailroom.' }],
          patterns: [
            { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node built-ins.' },
            {
              group: [
                '**/electron/core/**',
                '**/electron/main/**',
                '**/electron/preload/**',
                '**/electron/cli/**',
              ],
              message: 'The renderer never imports the core or a host.',
            },
          ],
        },
      ],
    },
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
