import { useCallback, useEffect, useState } from 'react';
import type { MergeJob } from '../../../shared/domain/mail-merge';
import type { MailroomError } from '../../../shared/result';
import { mailroom } from '../mailroom-api';

/** A burst of row events (a fast server, a cancel) asks for the jobs once, this long after the first. */
const REFRESH_AFTER_MS = 300;
/** Pacing times ("next at", "the last at") move with the clock, not only with events. */
const POLL_MS = 15_000;

const FINISHED: readonly MergeJob['state'][] = ['done', 'cancelled'];

/** Jobs still going first, then the finished ones; the newest first within each. */
function byInterest(a: MergeJob, b: MergeJob): number {
  const finished = Number(FINISHED.includes(a.state)) - Number(FINISHED.includes(b.state));
  return finished || Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

export interface MergeJobsState {
  jobs: MergeJob[] | null;
  error: MailroomError | null;
  /** A job as an action (pause, resume, cancel) returned it: shown at once, before the next list. */
  update: (job: MergeJob) => void;
}

/**
 * The outbox's merge jobs, kept current: listed once, listed again shortly after an event about one
 * of their rows (the counts follow the rows), and every little while for the pace. Entries without
 * a job never cause a refresh.
 */
export function useMergeJobs(): MergeJobsState {
  const [jobs, setJobs] = useState<MergeJob[] | null>(null);
  const [error, setError] = useState<MailroomError | null>(null);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      timer = undefined;
      const result = await mailroom().listMergeJobs({});
      if (!alive) return;
      if (!result.ok) {
        // A core without mail merge simply has no jobs to show.
        if (result.error.code === 'MERGE_UNAVAILABLE') setJobs([]);
        else setError(result.error);
        return;
      }
      setError(null);
      setJobs([...result.value.jobs].sort(byInterest));
    };
    const soon = () => {
      if (timer === undefined) timer = setTimeout(() => void load(), REFRESH_AFTER_MS);
    };
    const stop = mailroom().onOutboxChanged((change) => {
      if (change.entry?.merge || (!change.entry && change.removedId)) soon();
    });
    const poll = setInterval(() => void load(), POLL_MS);
    void load();
    return () => {
      alive = false;
      stop();
      clearInterval(poll);
      clearTimeout(timer);
    };
  }, []);

  const update = useCallback(
    (job: MergeJob) => setJobs((list) => (list ?? []).map((j) => (j.id === job.id ? job : j))),
    [],
  );

  return { jobs, error, update };
}
