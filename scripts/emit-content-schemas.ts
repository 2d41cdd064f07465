// Writes the content JSON Schemas (from the zod schemas in src/content/schema)
// to data/schemas/. `--check` writes nothing and exits 1 when a file is stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_DIR, renderSchemaFiles, staleSchemaFiles } from '../src/content/schema/index.ts';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', SCHEMA_DIR);
const read = (name: string): string | undefined => {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
};

if (process.argv.includes('--check')) {
  const stale = staleSchemaFiles(read);
  if (stale.length > 0) {
    console.error(`stale content schemas in ${SCHEMA_DIR}: ${stale.join(', ')}; run node scripts/emit-content-schemas.ts`);
    process.exit(1);
  }
  console.log(`content schemas in ${SCHEMA_DIR} are up to date`);
} else {
  mkdirSync(dir, { recursive: true });
  const stale = new Set(staleSchemaFiles(read));
  for (const [name, text] of renderSchemaFiles()) if (stale.has(name)) writeFileSync(join(dir, name), text);
  console.log(`wrote ${stale.size} of ${renderSchemaFiles().size} schema files to ${SCHEMA_DIR}`);
}
