import { sendJson, type HttpHandler } from './http-server.ts';

/** /healthz (alive) and /readyz (every cell ticking). */
export function healthHandler(isReady: () => boolean): HttpHandler {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return true;
    }
    if (path === '/readyz') {
      const ready = isReady();
      sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
      return true;
    }
    return false;
  };
}
