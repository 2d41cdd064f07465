import type { EventStatus } from '../events/world-events.ts';
import { sendJson, type HttpHandler } from './http-server.ts';

/**
 * GET /api/world: what the account page shows of the world now: the
 * scheduled world events (running or when they start next) and how many
 * players are online. Public, small, never cached; any other method 405.
 */
export function worldStatusRoute(source: { events: () => EventStatus[]; online: () => number }): HttpHandler {
  return (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0];
    if (path !== '/api/world') return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'GET only' } });
      return true;
    }
    res.setHeader('cache-control', 'no-store');
    const events = source.events().map((e) => ({ id: e.id, name: e.name, zone: e.zone, running: e.running, at: new Date(e.at).toISOString(), participants: e.participants }));
    sendJson(res, 200, { online: source.online(), events });
    return true;
  };
}
