import type { Gate } from '../gate/gate.ts';
import type { ChatHost } from './chat-service.ts';

/** Chat's view of the gate: its connections and zones, and a SAY into the ring of the cell that owns the speaker. */
export function chatHostOf(gate: Gate): ChatHost {
  return {
    connections: gate.connections,
    zoneNames: () => gate.zoneLinks.map((l) => l.zone.spec.name),
    say(c, line) {
      const link = gate.zoneLinks[c.zone];
      return link !== undefined && link.say(link.ownerOf(c.handle), c.id, line);
    },
  };
}
