export { ProviderSchema, type Provider, type ProviderInput } from './provider-schema';
export { PROVIDERS } from './provider-data';
export {
  allProviders,
  findProviderById,
  findProviderByDomain,
  findProviderByMx,
  normalizeDomain,
} from './provider-lookup';
