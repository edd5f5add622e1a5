import { Logger } from '@nestjs/common';
import { AppException } from '@runnerly/platform';
import { ServiceClientError } from '@runnerly/service-client';

const logger = new Logger('DataService');

/**
 * A data-service call on behalf of the logged-in runner, its failures turned into what the page
 * can show: its 400 as ours, a missing user as a lost session, a missing item (`notFound`: the
 * data-service's error code and ours) as a 404, anything else as a plain 503.
 */
export async function callDataService<T>(
  fn: () => Promise<T>,
  notFound?: { code: string; as: AppException },
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ServiceClientError && error.status === 400) {
      const body = error.body as { message?: string } | undefined;
      throw new AppException('bad_request', body?.message ?? 'Bad request', 400);
    }
    if (error instanceof ServiceClientError && error.status === 404) {
      if (notFound && (error.body as { error?: unknown } | undefined)?.error === notFound.code) throw notFound.as;
      throw new AppException('not_logged_in', 'Your account was removed: log in with Strava again', 401);
    }
    logger.error({ err: error }, 'data-service call failed');
    throw new AppException(
      'data_unavailable',
      'Your training data cannot be read right now. Please try again shortly.',
      503,
    );
  }
}
