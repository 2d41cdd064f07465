/**
 * TLS_CERT and TLS_KEY: read once at start, and checked to make a usable
 * pair, so that a wrong path or a key of another certificate stops the
 * start with a message naming the variable (exit code 2), not the first
 * handshake.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { ConfigError } from '../env.ts';
import type { TlsFiles } from '../net-config.ts';

/** The certificate chain and key, as PEM bytes. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

function read(name: string, file: string, problems: string[]): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    problems.push(`${name}: cannot read ${JSON.stringify(file)} (${e.code ?? e.message})`);
    return undefined;
  }
}

/** Reads and checks the files; throws ConfigError naming TLS_CERT or TLS_KEY. */
export function loadTls(files: TlsFiles): TlsMaterial {
  const problems: string[] = [];
  const cert = read('TLS_CERT', files.certFile, problems);
  const key = read('TLS_KEY', files.keyFile, problems);
  if (!cert || !key) throw new ConfigError(problems);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    // OpenSSL's reason, e.g. "key values mismatch" or "no start line" (not PEM); never the key itself.
    const why = err instanceof Error ? err.message.replace(/\s+/g, ' ').slice(0, 200) : String(err);
    throw new ConfigError([`TLS_CERT and TLS_KEY (${JSON.stringify(files.certFile)}, ${JSON.stringify(files.keyFile)}) are not a usable certificate and key: ${why}`]);
  }
  return { cert, key };
}
