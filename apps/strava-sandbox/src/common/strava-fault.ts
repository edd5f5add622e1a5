import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { StravaFault } from '@runnerly/strava';
import type { FastifyReply } from 'fastify';

/** An answer in Strava's own error shape: `{"message", "errors":[{resource, field, code}]}`. */
export class StravaFaultException extends Error {
  constructor(
    readonly status: number,
    readonly body: StravaFault,
  ) {
    super(body.message);
  }
}

const fault = (status: number, message: string, resource: string, field: string, code: string) =>
  new StravaFaultException(status, { message, errors: [{ resource, field, code }] });

/** Strava's documented error answers, in one place. */
export const Faults = {
  invalidCode: () => fault(400, 'Bad Request', 'AuthorizationCode', 'code', 'invalid'),
  invalidRefreshToken: () => fault(400, 'Bad Request', 'RefreshToken', 'refresh_token', 'invalid'),
  invalidClientId: () => fault(400, 'Bad Request', 'Application', 'client_id', 'invalid'),
  invalidClientSecret: () => fault(401, 'Authorization Error', 'Application', '', 'invalid'),
  invalidGrantType: () => fault(400, 'Bad Request', 'GrantType', 'grant_type', 'invalid'),
  missingParameter: (field: string) => fault(400, 'Bad Request', 'Application', field, 'missing'),
  invalidAccessToken: () => fault(401, 'Authorization Error', 'Athlete', 'access_token', 'invalid'),
  missingScope: (permission = 'activity:read_permission') => fault(401, 'Authorization Error', 'AccessToken', permission, 'missing'),
  notFound: (resource: string) => fault(404, 'Record Not Found', resource, 'id', 'invalid'),
  invalidParameter: (resource: string, field: string) => fault(400, 'Bad Request', resource, field, 'invalid'),
  rateLimited: () => fault(429, 'Rate Limit Exceeded', 'Application', 'rate limit', 'exceeded'),
  appInactive: () => fault(403, 'Forbidden', 'Application', 'Status', 'Inactive'),
  athleteLimit: () => fault(403, 'limit of connected athletes exceeded', 'Application', 'athletes', 'limit exceeded'),
  subscriptionNotVerifiable: () => fault(400, 'Bad Request', 'PushSubscription', 'callback url', 'not verifiable'),
  subscriptionExists: () => fault(400, 'Bad Request', 'PushSubscription', 'callback url', 'already exists'),
};

/** Renders StravaFaultException for the Strava-facing controllers (the admin API keeps Runnerly's shape). */
@Catch(StravaFaultException)
export class StravaFaultFilter implements ExceptionFilter {
  catch(exception: StravaFaultException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.status(exception.status).type('application/json; charset=utf-8').send(exception.body);
  }
}
