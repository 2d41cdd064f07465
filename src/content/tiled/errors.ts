/**
 * Where in which file something was read: `position` is an element path for
 * XML (`map/layer[name=ground]/data`) or a JSON path (`$.layers[2].data`).
 */
export interface Where {
  file: string;
  position: string;
}

/**
 * The one error the Tiled reader throws. Its message starts with the file and
 * the position inside it, so a content author can go straight to the spot.
 */
export class TiledError extends Error {
  readonly file: string;
  readonly position: string;
  /** The reason alone, without file and position. */
  readonly reason: string;

  constructor(where: Where, reason: string, options?: ErrorOptions) {
    super(where.position === '' ? `${where.file}: ${reason}` : `${where.file}: ${where.position}: ${reason}`, options);
    this.name = 'TiledError';
    this.file = where.file;
    this.position = where.position;
    this.reason = reason;
  }
}

/** Throws a TiledError; typed `never` so callers can use it in expressions. */
export function fail(where: Where, reason: string, cause?: unknown): never {
  throw new TiledError(where, reason, cause === undefined ? undefined : { cause });
}

/** Message of an unknown thrown value, for wrapping third-party errors. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
