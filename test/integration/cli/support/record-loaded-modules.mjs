// Preloaded with `node --import` into a spawned mailroom: records every CommonJS module request (and
// which file asked) and, at exit, writes them with the files in require.cache to
// $MAILROOM_TEST_MODULES_OUT. Plain JavaScript: it must load before, and apart from, anything under test.
import Module from 'node:module';
import { writeFileSync } from 'node:fs';

const requests = [];
const originalLoad = Module._load;
Module._load = function recordLoad(request, parent, isMain) {
  requests.push({ request, from: parent?.filename ?? null });
  return originalLoad.call(this, request, parent, isMain);
};
process.once('exit', () => {
  writeFileSync(
    process.env.MAILROOM_TEST_MODULES_OUT,
    JSON.stringify({ requests, files: Object.keys(Module._cache) }),
  );
});
