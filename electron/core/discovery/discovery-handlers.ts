import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { discoverSettings, type DiscoverOptions } from './discover-settings';

/**
 * discoverSettings / cancelDiscovery. Hosts may pass dependencies (resolver, HTTPS routes) for tests;
 * production uses the system resolver and normal HTTPS.
 */
export function discoveryHandlers(
  _services: CoreServices,
  dependencies?: DiscoverOptions['dependencies'],
): HandlerGroup<'discoverSettings' | 'cancelDiscovery'> {
  const running = new Map<string, AbortController>();
  return {
    async discoverSettings(request, context) {
      const controller = new AbortController();
      const requestId = request.requestId;
      if (requestId) {
        running.get(requestId)?.abort();
        running.set(requestId, controller);
      }
      try {
        return await discoverSettings(request, {
          signal: controller.signal,
          dependencies,
          onProgress: (progress) => {
            if (requestId) context.emit('discoveryProgress', { ...progress, requestId });
          },
        });
      } finally {
        if (requestId && running.get(requestId) === controller) running.delete(requestId);
      }
    },
    async cancelDiscovery({ requestId }) {
      running.get(requestId)?.abort();
      return ok({});
    },
  };
}
