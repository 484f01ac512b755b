import { ok } from '../../../shared/result';
import type { CoreServices, HandlerGroup } from '../core-services';
import { discoverSettings, type DiscoverOptions } from './discover-settings';
import { CancellableRequests } from '../ipc/cancellable-requests';

/**
 * discoverSettings / cancelDiscovery. Hosts may pass dependencies (resolver, HTTPS routes) for tests;
 * production uses the system resolver and normal HTTPS.
 */
export function discoveryHandlers(
  _services: CoreServices,
  dependencies?: DiscoverOptions['dependencies'],
): HandlerGroup<'discoverSettings' | 'cancelDiscovery'> {
  const requests = new CancellableRequests();
  return {
    async discoverSettings(request, context) {
      const { requestId } = request;
      return requests.run(requestId, (signal) =>
        discoverSettings(request, {
          signal,
          dependencies,
          onProgress: (progress) => {
            if (requestId) context.emit('discoveryProgress', { ...progress, requestId });
          },
        }),
      );
    },
    async cancelDiscovery({ requestId }) {
      requests.cancel(requestId);
      return ok({});
    },
  };
}
