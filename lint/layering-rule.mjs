// The layering rule (VS Code's code-layering idea): every import, static or dynamic, ESM or
// require(), relative or bare, is resolved to what it really names (a folder of ours, a Node
// built-in, the electron package, another package) before it is checked against the layer table.
// Globs on the written specifier miss `../../main/x`, `electron/main`, `import('electron')` and
// built-ins nobody listed; resolving first does not.
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

const root = dirname(dirname(new URL(import.meta.url).pathname));

/** Which layer a file of ours belongs to, by where it lives. More specific entries first. */
const LAYER_OF_PATH = [
  ['electron/core/', 'core'],
  ['electron/cli/', 'cli'],
  ['electron/browser-host/', 'browser-host'],
  ['electron/main/', 'main'],
  ['electron/preload/', 'preload'],
  ['renderer/', 'renderer'],
  ['shared/', 'shared'],
];

/** Packages that run in a browser page: the only ones shared/ and the renderer may bundle. */
const BROWSER_PACKAGES = new Set([
  'zod',
  'react',
  'react-dom',
  '@tiptap/react',
  '@tiptap/starter-kit',
  '@tiptap/extension-text-style',
  '@tiptap/pm',
  'dompurify',
  'html-to-text',
  'smtp-address-parser',
]);

/**
 * Single modules of otherwise Node-only packages that are pure functions with no imports, allowed in
 * the renderer by name. nodemailer's address-list parser is lenient the way typing in a To field
 * needs (half-typed input, `;` separators, groups), and it is the parser nodemailer's own MIME
 * composer applies to the headers, so compose splits recipients exactly as the message will.
 */
const RENDERER_MODULES = new Set(['nodemailer/lib/addressparser']);

/**
 * What each layer may import. `ours` lists layers of this repository; `node`: Node built-ins;
 * `electron`: the electron package; `packages`: 'any' or a set of allowed package names.
 */
const LAYERS = {
  shared: { ours: ['shared'], node: false, electron: false, packages: BROWSER_PACKAGES },
  renderer: { ours: ['renderer', 'shared'], node: false, electron: false, packages: BROWSER_PACKAGES },
  // Sandboxed: a preload can load only `electron`; our channel names are bundled into it.
  preload: { ours: ['preload', 'shared'], node: false, electron: true, packages: new Set() },
  core: { ours: ['core', 'shared'], node: true, electron: false, packages: 'any' },
  cli: { ours: ['cli', 'core', 'shared'], node: true, electron: false, packages: 'any' },
  'browser-host': { ours: ['browser-host', 'core', 'shared'], node: true, electron: false, packages: 'any' },
  main: { ours: ['main', 'core', 'shared'], node: true, electron: true, packages: 'any' },
};

const WHY = {
  shared: 'shared/ is bundled into the renderer and the preload: it depends on nothing platform-specific',
  renderer: 'the renderer is a sandboxed web page: it talks to main only through window.mailroom',
  preload: 'a sandboxed preload can load only electron',
  core: 'the core runs under plain Node for every host: it never depends on electron, a host or the UI',
  cli: 'the CLI is a host over the core: it never depends on electron, another host or the UI',
  'browser-host': 'the browser host is a host over the core: no electron, no other host, no UI code',
  main: 'the Electron shell depends on the core and shared, never on another host or the UI',
};

function layerOfPath(absolute) {
  const path = relative(root, absolute).split(sep).join('/');
  if (path.startsWith('..') || isAbsolute(path)) return undefined;
  for (const [prefix, layer] of LAYER_OF_PATH) {
    if (path === prefix || path.startsWith(prefix)) return layer;
  }
  return 'outside';
}

const builtins = new Set(builtinModules);

/** What an import specifier names, seen from `fromFile`. */
function resolveTarget(specifier, fromFile) {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const target = resolve(dirname(fromFile), specifier);
    return { kind: 'ours', layer: layerOfPath(target), name: relative(root, target) };
  }
  if (specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])) {
    return { kind: 'node', name: specifier };
  }
  const parts = specifier.split('/');
  const pkg = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (pkg === 'electron') return { kind: 'electron', name: specifier };
  return { kind: 'package', name: pkg, module: specifier };
}

function violation(layer, target) {
  const rules = LAYERS[layer];
  switch (target.kind) {
    case 'ours':
      if (target.layer === 'outside' || target.layer === undefined) {
        return `${target.name} is outside the app's layers`;
      }
      return rules.ours.includes(target.layer)
        ? undefined
        : `${layer} may not import ${target.layer} (${target.name})`;
    case 'node':
      return rules.node ? undefined : `${layer} may not import the Node built-in '${target.name}'`;
    case 'electron':
      return rules.electron ? undefined : `${layer} may not import '${target.name}'`;
    case 'package':
      return rules.packages === 'any' ||
        rules.packages.has(target.name) ||
        (layer === 'renderer' && RENDERER_MODULES.has(target.module))
        ? undefined
        : `${layer} may not import the package '${target.name}' (not one that runs in a sandboxed page)`;
  }
  return undefined;
}

const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Every import resolved and checked against the layer table' },
    messages: {
      layer: '{{problem}}: {{why}}.',
      namespace:
        "Import electron's members by name (import { app } from 'electron'): a namespace or default import hides ipcMain/ipcRenderer from the rules that keep them in one file.",
    },
    schema: [],
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const layer = layerOfPath(file);
    if (!layer || layer === 'outside' || !LAYERS[layer]) return {};

    function check(node, specifier) {
      if (typeof specifier !== 'string') return;
      const problem = violation(layer, resolveTarget(specifier, file));
      if (problem) context.report({ node, messageId: 'layer', data: { problem, why: WHY[layer] } });
    }

    const sourceOf = (node) =>
      node.source && node.source.type === 'Literal' ? node.source.value : undefined;

    return {
      ImportDeclaration(node) {
        check(node, sourceOf(node));
        if (
          sourceOf(node) === 'electron' &&
          node.importKind !== 'type' &&
          node.specifiers.some(
            (s) => s.type === 'ImportNamespaceSpecifier' || s.type === 'ImportDefaultSpecifier',
          )
        ) {
          context.report({ node, messageId: 'namespace' });
        }
      },
      ExportNamedDeclaration(node) {
        check(node, sourceOf(node));
      },
      ExportAllDeclaration(node) {
        check(node, sourceOf(node));
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference' && ref.expression.type === 'Literal') {
          check(node, ref.expression.value);
        }
      },
      TSImportType(node) {
        const argument = node.argument?.literal ?? node.argument;
        if (argument?.type === 'Literal') check(node, argument.value);
      },
      CallExpression(node) {
        const callee = node.callee;
        const isRequire =
          (callee.type === 'Identifier' && callee.name === 'require') ||
          (callee.type === 'MemberExpression' &&
            callee.object.type === 'Identifier' &&
            callee.object.name === 'require' &&
            callee.property.type === 'Identifier' &&
            callee.property.name === 'resolve');
        const [first] = node.arguments;
        if (isRequire && first?.type === 'Literal') check(node, first.value);
      },
    };
  },
};

export default { rules: { layering: layeringRule } };
