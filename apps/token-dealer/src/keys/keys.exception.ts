import { AppException } from '@runnerly/platform';

export enum KeysErrorCode {
  KeyNotFound = 'key_not_found',
}

export class KeysException extends AppException<KeysErrorCode> {}
