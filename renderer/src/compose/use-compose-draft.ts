import { useEffect, useState } from 'react';
import type { Draft } from '../../../shared/domain/drafts';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

/** The draft a compose window edits, loaded from the core; null until it answers. */
export function useComposeDraft(draftId: string): { draft: Draft } | { error: MailroomError } | null {
  const [loaded, setLoaded] = useState<{ draft: Draft } | { error: MailroomError } | null>(null);
  useEffect(() => {
    let current = true;
    void mailroom()
      .getDraft({ id: draftId })
      .then((result) => {
        if (current) setLoaded(result.ok ? { draft: result.value } : { error: result.error });
      });
    return () => {
      current = false;
    };
  }, [draftId]);
  return loaded;
}
