import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser client's build (npm run client:build, or `npm start` when the
 * build is stale): web/client → build/client (TESSERA_CLIENT_OUT overrides),
 * served by the coordinator at /client/. Hashed file names under assets/
 * (cached for a year), index.html without (no-cache). No inline script or
 * style, so the page's Content-Security-Policy needs no 'unsafe-inline'.
 *
 * `npx vite web/client` serves it for development with /content and /play
 * proxied to a server on :8080 (TESSERA_DEV_SERVER overrides).
 */
const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));
const server = process.env.TESSERA_DEV_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/client/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: process.env.TESSERA_CLIENT_OUT ?? `${repo}build/client`,
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
  server: {
    fs: { allow: [repo] },
    proxy: {
      '/content': server,
      '/api': server,
      '/play': { target: server.replace(/^http/, 'ws'), ws: true },
    },
  },
});
