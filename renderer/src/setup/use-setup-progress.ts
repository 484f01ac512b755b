import { useEffect, useState, type RefObject } from 'react';
import { mailroom } from '../mailroom-api';
import { upsertStep, type StepRow } from './step-list';

/**
 * The discovery and verification steps reported so far, for the request in `requestId` only (a
 * cancelled one may still report).
 */
export function useSetupProgress(requestId: RefObject<string>) {
  const [discoverySteps, setDiscoverySteps] = useState<StepRow[]>([]);
  const [verifySteps, setVerifySteps] = useState<StepRow[]>([]);
  useEffect(() => {
    const offDiscovery = mailroom().onDiscoveryProgress((progress) => {
      if (progress.requestId !== requestId.current) return;
      setDiscoverySteps((steps) =>
        upsertStep(steps, {
          key: progress.step,
          label: progress.label ?? progress.step,
          status: progress.status,
          detail: progress.detail,
        }),
      );
    });
    const offVerify = mailroom().onVerifyProgress((progress) => {
      if (progress.requestId !== requestId.current) return;
      const { step } = progress;
      setVerifySteps((steps) =>
        upsertStep(steps, {
          key: step.name,
          label: step.label ?? step.name,
          status: step.status,
          ms: step.ms,
          detail: step.detail,
          timeoutMs: step.timeoutMs,
        }),
      );
    });
    return () => {
      offDiscovery();
      offVerify();
    };
  }, [requestId]);
  return { discoverySteps, setDiscoverySteps, verifySteps, setVerifySteps };
}
