// Child process for draft-crash.test.ts: saves one draft over and over, printing each save once the
// store has acknowledged it, until it is killed.
import { DraftStore } from '../../../../electron/core/drafts/draft-store';

const [profileDir, draftId] = process.argv.slice(2) as [string, string];
const store = new DraftStore(profileDir);
const body = 'x'.repeat(200_000);

async function main(): Promise<void> {
  for (let n = 1; ; n += 1) {
    const saved = await store.save(draftId, { subject: `edit ${n}`, text: `${n}\n${body}` });
    if (!saved.ok) throw new Error(saved.error.message);
    process.stdout.write(`saved ${n}\n`);
  }
}
void main();
