import type { Logger } from '../log.ts';
import type { WorldEventHost } from './world-events.ts';

/** What says a line on chat's SYSTEM channel to a zone (ChatService.announce). */
export interface SystemAnnouncer {
  /** Returns how many players heard it; throws a RangeError for an unknown zone or a text chat refuses. */
  announce(zone: string | 'all', text: string): number;
}

/**
 * World events' host with each announcement also said on chat's SYSTEM
 * channel to the event's zone, so it stays in the chat box as a [System]
 * line after the banner (the host's NOTICE WORLD_EVENT) is gone. `chat` is
 * read at each announcement: chat is built after the gate that builds the
 * events (start-tessera.ts). A text chat refuses is logged, never thrown
 * into the events' tick.
 */
export function announcingInChat(host: WorldEventHost, chat: () => SystemAnnouncer | undefined, log: Logger): WorldEventHost {
  const out = Object.create(host) as WorldEventHost;
  out.announce = (zone, text) => {
    host.announce(zone, text);
    try {
      chat()?.announce(zone, text);
    } catch (err) {
      log.warn({ zone, err: String(err) }, 'world event announcement not said on chat');
    }
  };
  return out;
}
