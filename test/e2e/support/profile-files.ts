import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under a profile directory with its bytes, to prove no secret was written anywhere. */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (readFileSync(full).includes(Buffer.from(needle))) hits.push(full);
    }
  };
  walk(dir);
  return hits;
}
