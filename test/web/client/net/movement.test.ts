/**
 * The browser client's movement rule is the server's: a player walked by a
 * real zone cell and the same intents stepped by the client's movement.ts
 * end every tick on the same f32 position, along walls, into corners, at the
 * map's edge and to destinations (reached or out of reach).
 */
import { describe, expect, it } from 'vitest';
import { PLAYER_SPEED as SERVER_PLAYER_SPEED } from '../../../../src/workers/cell-runtime.ts';
import { directionIntent, destinationIntent, PLAYER_SPEED, STOPPED, stepIntent, type Intent } from '../../../../web/client/src/net/movement.ts';
import { mulberry32 } from '../../../../src/shared/random.ts';
import { SimZone } from './sim-zone.ts';

describe('client movement', () => {
  it('walks at the speed the cells use', () => {
    expect(PLAYER_SPEED).toBe(SERVER_PLAYER_SPEED);
  });

  it('matches a real cell tick for tick, to the bit, over random directions and destinations', () => {
    for (const seed of [1, 2, 3]) {
      const sim = new SimZone(40, 40, seed, 0.15);
      const rnd = mulberry32(seed * 101);
      sim.join(20, 20);
      const p = { ...sim.position };
      let intent: Intent = STOPPED;
      let active = false;
      const step = PLAYER_SPEED * (1 / 20);
      let seq = 0;
      for (let t = 0; t < 600; t++) {
        if (t % 17 === 0) {
          const r = rnd();
          intent =
            r < 0.15
              ? STOPPED
              : r < 0.7
                ? directionIntent(Math.round(rnd() * 254 - 127), Math.round(rnd() * 254 - 127))
                : destinationIntent(rnd() * 44 - 2, rnd() * 44 - 2);
          active = intent.move !== 0;
          sim.input(++seq, intent);
        }
        sim.step();
        if (active && stepIntent(sim.map, p, intent, step)) active = false;
        const s = sim.position;
        expect([p.x, p.y], `seed ${seed} tick ${t}`).toEqual([s.x, s.y]);
      }
    }
  });
});
