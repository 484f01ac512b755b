import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Probes: small files that break a layer boundary on purpose, linted as if they lived at `file`
// with the project's own ESLint config. Each must fail with the layering error; the allowed imports
// below must pass, so the rule cannot pass by refusing everything.

const root = resolve(__dirname, '../../..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'mailroom/layering' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const violations: [string, string, string, RegExp][] = [
  [
    'core -> main, relative',
    'electron/core/smtp/probe.ts',
    "import '../../main/index';",
    /core may not import main/,
  ],
  [
    'core -> main, through the root',
    'electron/core/probe.ts',
    "export * from '../../electron/main/ipc-binding';",
    /core may not import main/,
  ],
  [
    'core -> cli',
    'electron/core/outbox/probe.ts',
    "import { runCli } from '../../cli/cli-main';\nrunCli([]);",
    /core may not import cli/,
  ],
  [
    'core -> browser host',
    'electron/core/probe.ts',
    "import '../browser-host/start';",
    /core may not import browser-host/,
  ],
  [
    'core -> electron subpath',
    'electron/core/probe.ts',
    "import { app } from 'electron/main';\napp.quit();",
    /core may not import 'electron\/main'/,
  ],
  [
    'core -> dynamic electron',
    'electron/core/probe.ts',
    "export const load = () => import('electron');",
    /core may not import 'electron'/,
  ],
  [
    'core -> require(electron)',
    'electron/core/probe.ts',
    "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const e = require('electron');",
    /core may not import 'electron'/,
  ],
  [
    'core -> renderer',
    'electron/core/probe.ts',
    "import '../../renderer/src/app';",
    /core may not import renderer/,
  ],
  [
    'core -> type from main',
    'electron/core/probe.ts',
    "import type { ComposeWindowOptions } from '../main/compose-window';\nexport type X = ComposeWindowOptions;",
    /core may not import main/,
  ],
  ['cli -> main', 'electron/cli/probe.ts', "import '../main/secure-window';", /cli may not import main/],
  [
    'cli -> electron',
    'electron/cli/probe.ts',
    "import { app } from 'electron';\napp.quit();",
    /cli may not import 'electron'/,
  ],
  [
    'browser host -> main',
    'electron/browser-host/probe.ts',
    "import '../main/trusted-sender';",
    /browser-host may not import main/,
  ],
  ['main -> cli', 'electron/main/probe.ts', "import '../cli/cli-main';", /main may not import cli/],
  [
    'main -> renderer',
    'electron/main/probe.ts',
    "import '../../renderer/src/app';",
    /main may not import renderer/,
  ],
  [
    'main: namespace import of electron',
    'electron/main/probe.ts',
    "import * as electron from 'electron';\nelectron.ipcMain.handle('x', async () => 1);",
    /Import electron's members by name/,
  ],
  [
    'main: ipcMain outside the binding',
    'electron/main/probe.ts',
    "import { ipcMain } from 'electron';\nipcMain.handle('x', async () => 1);",
    /Only electron\/main\/ipc-binding.ts binds ipcMain/,
  ],
  [
    'preload -> core',
    'electron/preload/probe.ts',
    "import '../core/mailroom-core';",
    /preload may not import core/,
  ],
  [
    'preload -> zod',
    'electron/preload/probe.ts',
    "import { z } from 'zod';\nexport const s = z.string();",
    /preload may not import the package 'zod'/,
  ],
  [
    'preload -> Node',
    'electron/preload/probe.ts',
    "import { join } from 'node:path';\nexport const p = join('a');",
    /preload may not import the Node built-in 'node:path'/,
  ],
  [
    'shared -> zlib',
    'shared/domain/probe.ts',
    "import { gzipSync } from 'zlib';\nexport const z = gzipSync;",
    /shared may not import the Node built-in 'zlib'/,
  ],
  [
    'shared -> buffer',
    'shared/probe.ts',
    "import { Buffer } from 'buffer';\nexport const b = Buffer;",
    /shared may not import the Node built-in 'buffer'/,
  ],
  [
    'shared -> nodemailer',
    'shared/domain/probe.ts',
    "import addressparser from 'nodemailer/lib/addressparser';\nexport const a = addressparser;",
    /shared may not import the package 'nodemailer'/,
  ],
  ['shared -> core', 'shared/probe.ts', "import '../electron/core/profile';", /shared may not import core/],
  [
    'shared -> renderer',
    'shared/ipc/probe.ts',
    "import '../../renderer/src/app';",
    /shared may not import renderer/,
  ],
  [
    'renderer -> worker_threads',
    'renderer/src/probe.ts',
    "import { Worker } from 'worker_threads';\nexport const w = Worker;",
    /renderer may not import the Node built-in 'worker_threads'/,
  ],
  [
    'renderer -> node:fs',
    'renderer/src/probe.ts',
    "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;",
    /renderer may not import the Node built-in 'node:fs'/,
  ],
  [
    'renderer -> nodemailer itself',
    'renderer/src/compose/probe.ts',
    "import { createTransport } from 'nodemailer';\nexport const t = createTransport;",
    /renderer may not import the package 'nodemailer'/,
  ],
  [
    'renderer -> nodemailer, another module',
    'renderer/src/compose/probe.ts',
    "import MailComposer from 'nodemailer/lib/mail-composer';\nexport const a = MailComposer;",
    /renderer may not import the package 'nodemailer'/,
  ],
  [
    'renderer -> core',
    'renderer/src/probe.ts',
    "import '../../electron/core/outbox/outbox';",
    /renderer may not import core/,
  ],
  [
    'renderer -> electron',
    'renderer/src/probe.ts',
    "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;",
    /renderer may not import 'electron'/,
  ],
  [
    'renderer -> dynamic core',
    'renderer/src/probe.ts',
    "export const c = () => import('../../electron/core/profile');",
    /renderer may not import core/,
  ],
  [
    'bridge client -> core',
    'renderer/browser-bridge/bridge-client.ts',
    "import '../../electron/core/profile';",
    /renderer may not import core/,
  ],
];

describe('lint enforces the layers', () => {
  it.each(violations)('%s fails lint', async (_name, file, code, expected) => {
    const errors = await layeringErrors(file, code);
    expect(errors.join('\n')).toMatch(expected);
  });

  const allowed: [string, string, string][] = [
    [
      'core -> shared and Node',
      'electron/core/probe.ts',
      "import { ok } from '../../shared/result';\nimport { join } from 'node:path';\nexport const x = [ok, join];",
    ],
    [
      'cli -> core',
      'electron/cli/probe.ts',
      "import { createCore } from '../core/mailroom-core';\nexport const c = createCore;",
    ],
    [
      'main -> electron by name, core, shared',
      'electron/main/probe.ts',
      "import { app } from 'electron';\nimport { createCore } from '../core/mailroom-core';\nimport { ok } from '../../shared/result';\nexport const x = [app, createCore, ok];",
    ],
    [
      'preload -> electron and the channel names',
      'electron/preload/probe.ts',
      "import { contextBridge } from 'electron';\nimport { INVOKE_CHANNELS } from '../../shared/ipc/channel-names';\nexport const x = [contextBridge, INVOKE_CHANNELS];",
    ],
    [
      'renderer -> react, shared, own files',
      'renderer/src/probe.ts',
      "import { useState } from 'react';\nimport { ok } from '../../shared/result';\nexport const x = [useState, ok, () => import('./app')];",
    ],
    [
      'renderer -> the one allowed pure module of nodemailer',
      'renderer/src/compose/probe.ts',
      "import addressparser from 'nodemailer/lib/addressparser';\nexport const a = addressparser;",
    ],
    ['shared -> zod', 'shared/domain/probe.ts', "import { z } from 'zod';\nexport const s = z.string();"],
  ];
  it.each(allowed)('%s passes lint', async (_name, file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });
});
