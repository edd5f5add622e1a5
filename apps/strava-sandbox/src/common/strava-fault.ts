import { STATUS_CODES } from 'node:http';
import { type ArgumentsHost, Catch } from '@nestjs/common';
import { AllExceptionsFilter, toErrorResponse } from '@runnerly/platform';
import type { StravaFault } from '@runnerly/strava';
import type { FastifyReply, FastifyRequest } from 'fastify';

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
  missingScope: (permission = 'activity:read_permission') =>
    fault(401, 'Authorization Error', 'AccessToken', permission, 'missing'),
  notFound: (resource: string) => fault(404, 'Record Not Found', resource, 'id', 'invalid'),
  invalidParameter: (resource: string, field: string) => fault(400, 'Bad Request', resource, field, 'invalid'),
  rateLimited: () => fault(429, 'Rate Limit Exceeded', 'Application', 'rate limit', 'exceeded'),
  appInactive: () => fault(403, 'Forbidden', 'Application', 'Status', 'Inactive'),
  athleteLimit: () => fault(403, 'limit of connected athletes exceeded', 'Application', 'athletes', 'limit exceeded'),
  subscriptionNotVerifiable: () => fault(400, 'Bad Request', 'PushSubscription', 'callback url', 'not verifiable'),
  subscriptionExists: () => fault(400, 'Bad Request', 'PushSubscription', 'callback url', 'already exists'),
};

/** Strava's paths (its API and its OAuth), as opposed to the admin API and the platform's. */
function isStravaPath(url: string): boolean {
  return url.startsWith('/api/v3/') || url.startsWith('/oauth/');
}

/** What the router or the body parser refused on a Strava path (a path too long or unknown, a body unparsable), in Strava's words. */
function refusedRequest(error: unknown): StravaFaultException | undefined {
  const { status, body } = toErrorResponse(error);
  if (status < 400 || status >= 500) return undefined;
  const inPath =
    status === 404 || status === 414 || (body.details as { code?: string } | undefined)?.code === 'FST_ERR_BAD_URL';
  return fault(status, STATUS_CODES[status] ?? 'Bad Request', 'Request', inPath ? 'path' : 'body', 'invalid');
}

/**
 * Renders StravaFaultException, and on Strava's paths also what the router and the body parser
 * refuse before a controller runs, in Strava's shape: the app's one exception filter (controller
 * filters never see those). The admin API and the platform routes keep Runnerly's shape.
 */
@Catch()
export class StravaFaultFilter extends AllExceptionsFilter {
  override catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const strava =
      error instanceof StravaFaultException
        ? error
        : isStravaPath(http.getRequest<FastifyRequest>().url)
          ? refusedRequest(error)
          : undefined;
    if (strava === undefined) {
      super.catch(error, host);
      return;
    }
    const reply = http.getResponse<FastifyReply>();
    void reply.status(strava.status).type('application/json; charset=utf-8').send(strava.body);
  }
}
