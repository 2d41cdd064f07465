import { indexOf } from '../../shared/entity-store.ts';
import { StatSlot } from '../../shared/layout.ts';
import { ForwardLayout, PeerMsg } from '../../shared/messages/cell-to-cell.ts';
import type { Ring } from '../../shared/ring.ts';
import type { HandoffCodec } from '../handoff.ts';
import type { CellContext, System } from '../system.ts';

/**
 * The input phase: first what other cells sent (handoffs adopted, forwarded
 * gate messages, events), then the gate's ring, then the events queued for
 * this cell's entities, in the order they were sent. Adopting first means a
 * player's messages always find its entity.
 */
export function inbox(handoffs: HandoffCodec): System {
  const drainPeer = (c: CellContext, ring: Ring) => {
    const v = ring.view;
    for (let at = ring.peek(); at >= 0; at = ring.peek()) {
      const len = ring.messageLength;
      const op = v.getUint8(at);
      if (op === PeerMsg.HANDOFF) adopt(c, handoffs, ring, at, len);
      else if (op === PeerMsg.FORWARD) c.players.handle(ring.bytes, v, at + ForwardLayout.body, len - ForwardLayout.body, c.tick);
      else if (op === PeerMsg.EVENT) c.events.receive(v, at, len);
      ring.release();
    }
    ring.done();
  };
  return {
    name: 'inbox',
    phase: 'input',
    run(c) {
      for (let i = 0; i < c.peersIn.length; i++) drainPeer(c, c.peersIn[i]);
      c.players.drainGate(c.gateIn, c.tick);
      c.events.applyQueued();
    },
  };
}

function adopt(c: CellContext, handoffs: HandoffCodec, ring: Ring, at: number, len: number): void {
  const h = handoffs.header;
  if (!h.read(ring.view, at, len)) throw new Error(`malformed handoff of ${len} bytes`);
  const slot = indexOf(h.handle);
  c.owned.add(slot);
  if (!handoffs.read(ring.bytes, ring.view, at, len, slot)) throw new Error(`malformed handoff of entity ${h.handle}`);
  c.stats[StatSlot.handoffsIn]++;
}
