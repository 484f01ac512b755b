export { ProviderSchema, type Provider, type ProviderInput } from './provider-schema';
export { PROVIDERS } from './provider-data';
export {
  allProviders,
  findProviderById,
  findProviderByDomain,
  findProviderByMx,
  findProviderByServer,
  normalizeDomain,
} from './provider-lookup';
export {
  OAUTH_SERVICES,
  OAUTH_SERVICE_IDS,
  clientIdEnvVar,
  findOAuthService,
  oauthServiceForProvider,
  type OAuthEndpoints,
  type OAuthService,
  type OAuthServiceId,
} from './oauth-services';
