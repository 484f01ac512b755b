export {
  discoverSettings,
  defaultDiscoveryDependencies,
  MAX_DEADLINE_MS,
  DEFAULT_STEP_TIMEOUTS,
  THUNDERBIRD_ISPDB,
  type DiscoverOptions,
} from './discover-settings';
export type { DiscoveryDependencies, DnsResolver, StepTimeouts } from './discovery-steps';
export { createHttpsFetcher, type HttpsFetcher, type ConnectRoute } from './https-fetcher';
export { createSmtpProbe, type SmtpProbe, type ProbeTarget, type ProbeOutcome } from './smtp-probe';
export {
  parseAutoconfigXml,
  fillPlaceholders,
  AutoconfigParseError,
  type AutoconfigFile,
} from './autoconfig-xml';
