export { checkDelivery, type DeliveryCheckOptions } from './delivery-check';
export {
  defaultDeliveryResolver,
  deliveryThroughDnsServer,
  resolverShared,
  type DeliveryResolver,
} from './delivery-dns';
export { deliveryHandlers } from './delivery-handlers';
