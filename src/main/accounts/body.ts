import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-errors.ts';

/** Largest request body the API reads. */
export const MAX_BODY_BYTES = 16 * 1024;

const JSON_TYPE_RE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Reads a JSON request body: Content-Type must be application/json (UTF-8),
 * at most maxBytes (checked against Content-Length first, then while
 * streaming), valid UTF-8 and valid JSON. Throws ApiError 415/413/400.
 * On 413 the rest of the body is discarded, not buffered.
 */
export async function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = req.headers['content-type'];
  if (!type || !JSON_TYPE_RE.test(type.trim())) {
    req.resume();
    throw new ApiError('unsupported_media_type', 'Content-Type must be application/json');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new ApiError('payload_too_large', `body must be at most ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // destroyOnReturn false: leaving the loop early (413) must not destroy the
  // socket before the error response is written.
  for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      req.resume();
      throw new ApiError('payload_too_large', `body must be at most ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError('bad_json', 'body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ApiError('bad_json', `body is not valid JSON: ${err instanceof Error ? err.message.slice(0, 120) : 'parse error'}`);
  }
}
