export {
  type HttpMethod,
  type QueryValue,
  ServiceClient,
  type ServiceClientOptions,
  type ServiceRequest,
} from './service-client.js';
export { ServiceClientError, type ServiceClientErrorKind } from './service-client.error.js';
export { TokenProvider, type TokenProviderOptions } from './token-provider.js';
