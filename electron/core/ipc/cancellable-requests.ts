/**
 * Long requests the renderer can cancel by id (a settings check, a discovery): each runs with its own
 * AbortSignal; a new request with the same id replaces (aborts) the old one.
 */
export class CancellableRequests {
  private readonly running = new Map<string, AbortController>();

  async run<T>(requestId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    if (requestId === undefined) return work(controller.signal);
    this.running.get(requestId)?.abort();
    this.running.set(requestId, controller);
    try {
      return await work(controller.signal);
    } finally {
      if (this.running.get(requestId) === controller) this.running.delete(requestId);
    }
  }

  cancel(requestId: string): void {
    this.running.get(requestId)?.abort();
  }
}
