/** How a call went wrong: the callee answered with an error, or no usable answer came. */
export type ServiceClientErrorKind = 'http' | 'timeout' | 'network' | 'token';

/**
 * A failed call to another service. `status` is the callee's HTTP status (0 when no answer came)
 * and `body` its error body (`{error, message, details?}` for Runnerly services).
 */
export class ServiceClientError extends Error {
  override readonly name = 'ServiceClientError';

  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly kind: ServiceClientErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The callee's machine-readable error code (`body.error`), when it sent one. */
  get code(): string | undefined {
    const error = (this.body as { error?: unknown } | null | undefined)?.error;
    return typeof error === 'string' ? error : undefined;
  }
}
