import type { CoreServices, HandlerGroup } from '../core-services';
import { checkDelivery, type DeliveryCheckOptions } from './delivery-check';

/** checkDelivery: the From domain's SPF and DMARC for a submission server. Advice; never blocks. */
export function deliveryHandlers(
  _services: CoreServices,
  options: DeliveryCheckOptions = {},
): HandlerGroup<'checkDelivery'> {
  return {
    async checkDelivery(request) {
      return checkDelivery(request, options);
    },
  };
}
