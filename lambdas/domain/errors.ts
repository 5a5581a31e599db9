/** A rule refused the request. The HTTP layer maps `status` and `details` into the error format. */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. "debtor.email". */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 500 | 503,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details: ErrorDetail[] = []) =>
  new DomainError(409, 'conflict', message, details);
export const forbidden = (message: string) => new DomainError(403, 'forbidden', message);
export const invalid = (details: ErrorDetail[], message = 'Invalid request') =>
  new DomainError(400, 'validation_failed', message, details);
