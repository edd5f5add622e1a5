export { DataServiceClient } from './data-service.client.js';
export * from './schemas.js';
