import { HttpStatus } from '@nestjs/common';
import { AppException } from '@runnerly/platform';

export enum DataErrorCode {
  UserNotFound = 'user_not_found',
  RunNotFound = 'run_not_found',
  StravaTokenNotFound = 'strava_token_not_found',
  TooManyRuns = 'too_many_runs',
  InvalidCursor = 'invalid_cursor',
  GearNotFound = 'gear_not_found',
}

/** The data-service's domain errors, mapped to HTTP by the platform's exception filter. */
export class DataException extends AppException<DataErrorCode> {
  static userNotFound(id: string): DataException {
    return new DataException(DataErrorCode.UserNotFound, `no user with id ${id}`, HttpStatus.NOT_FOUND);
  }

  static runNotFound(stravaId: number): DataException {
    return new DataException(DataErrorCode.RunNotFound, `no run with stravaId ${stravaId}`, HttpStatus.NOT_FOUND);
  }

  static gearNotFound(gearId: string): DataException {
    return new DataException(DataErrorCode.GearNotFound, `no gear with id ${gearId}`, HttpStatus.NOT_FOUND);
  }

  static stravaTokenNotFound(userId: string): DataException {
    return new DataException(
      DataErrorCode.StravaTokenNotFound,
      `user ${userId} has no Strava token (not connected)`,
      HttpStatus.NOT_FOUND,
    );
  }

  static tooManyRuns(count: number, max: number): DataException {
    return new DataException(
      DataErrorCode.TooManyRuns,
      `runs: at most ${max} runs per request, got ${count}`,
      HttpStatus.PAYLOAD_TOO_LARGE,
      { issues: [{ path: 'runs', message: `at most ${max} runs per request` }], max },
    );
  }

  static invalidCursor(): DataException {
    return new DataException(
      DataErrorCode.InvalidCursor,
      'cursor: not a cursor returned by this endpoint',
      HttpStatus.BAD_REQUEST,
      {
        issues: [{ path: 'cursor', message: 'not a cursor returned by this endpoint' }],
      },
    );
  }
}
