import { AppException } from '@runnerly/platform';

export enum ClientsErrorCode {
  InvalidClientId = 'invalid_client_id',
  InvalidScope = 'invalid_scope',
  InvalidAudience = 'invalid_audience',
  ClientExists = 'client_exists',
  ClientNotFound = 'client_not_found',
}

export class ClientsException extends AppException<ClientsErrorCode> {}
