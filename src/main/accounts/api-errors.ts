/**
 * Every error code the HTTP API answers with, its status and what it means.
 * docs/api.md lists each one; a test keeps the two in step. The body is
 * always `{ "error": { "code", "message", "field"? } }`.
 */
export const API_ERRORS = {
  bad_json: { status: 400, doc: 'The body is not valid UTF-8 JSON.' },
  invalid_credentials: { status: 401, doc: 'Wrong username or password (the two are not told apart).' },
  unauthorized: { status: 401, doc: 'Missing, malformed, unknown, revoked or expired bearer token.' },
  banned: { status: 403, doc: 'The account or the address is banned: logging in, registering from a banned address and every call with a session of a banned account are refused; `message` says until when and why (docs/operations.md, the console).' },
  forbidden: { status: 403, doc: 'The account is logged in but its role may not use this admin route (moderator or admin needed).' },
  not_found: { status: 404, doc: 'No such route, or no such character on this account.' },
  method_not_allowed: { status: 405, doc: 'The route exists but not with this method (see the Allow header).' },
  username_taken: { status: 409, doc: 'An account with this username (case-insensitive) exists.' },
  name_taken: { status: 409, doc: 'A character with this name (case- and normalisation-insensitive) exists.' },
  not_playing: { status: 409, doc: 'The admin action needs the player online and in the world (not joining, not changing zone).' },
  zone_busy: { status: 409, doc: 'The zone is down, restarting or stopping: it cannot be restarted now.' },
  bag_full: { status: 409, doc: 'An admin item grant does not fit in the character\'s bag; nothing was given.' },
  not_enough_items: { status: 409, doc: 'An admin item removal asks for more than the character carries; nothing was taken.' },
  character_limit: { status: 409, doc: 'The account already has the most characters allowed.' },
  payload_too_large: { status: 413, doc: 'The body is over the size limit (HTTP_MAX_BODY_BYTES, 16 KiB by default); the connection is closed.' },
  unsupported_media_type: { status: 415, doc: 'The body must be sent as Content-Type: application/json (UTF-8).' },
  invalid_field: { status: 422, doc: 'A field is missing or invalid; `field` names it and `message` says what it needs.' },
  rate_limited: { status: 429, doc: 'Too many attempts from this address or on this account; see Retry-After (seconds).' },
  internal: { status: 500, doc: 'A bug; the server log has the details.' },
  unavailable: { status: 503, doc: 'The database or session store is down, or the server is busy; try again (see Retry-After).' },
} as const satisfies Record<string, { status: number; doc: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** An error the API answers with; thrown by validation and handlers, caught by the router. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  /** Seconds, sent as Retry-After (429, 503). */
  readonly retryAfterS: number | undefined;

  constructor(code: ApiErrorCode, message: string, opts: { field?: string; retryAfterS?: number } = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = API_ERRORS[code].status;
    this.field = opts.field;
    this.retryAfterS = opts.retryAfterS;
  }

  toJSON(): { error: { code: string; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** A field problem (422) naming the field. */
export function invalid(field: string, message: string): ApiError {
  return new ApiError('invalid_field', message, { field });
}
