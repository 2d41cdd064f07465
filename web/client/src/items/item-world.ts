import type { SelfState } from '../../../../src/protocol/self-state.ts';
import type { Catalogue } from '../content/catalogue.ts';
import { RESOURCE_NAMES } from '../hud/combat-hud.ts';
import type { Session } from '../net/session.ts';
import { ItemController, type ItemEntity, type ItemWorld } from './item-controller.ts';

type ItemGame = {
    session: Session;
    catalogue: Catalogue;
    others: ReadonlyMap<number, ItemEntity>;
    meState: { level: number; template: number; maxHp: number; maxMana: number } | null;
    me: unknown;
    meDrawn: { x: number; y: number };
    walkTo(x: number, y: number): void;
    combat: { hud: { message(text: string, info?: boolean): void } };
};

/** The item controller of the game, its bags in the right-hand panels (#hud-panels) and its character panel on the left (#hud-left). */
export function itemsInPanels(g: ItemGame, base: string): ItemController {
  return new ItemController(itemWorldOf(g, base), document.getElementById('hud-panels') ?? document.body, document.getElementById('hud-left') ?? document.body);
}

/** The game as the item controller sees it (game.ts hands itself in). */
export function itemWorldOf(g: ItemGame, base: string): ItemWorld {
  return {
    get session() {
      return g.session;
    },
    catalogue: g.catalogue,
    base,
    others: g.others,
    myPosition: () => (g.me ? g.meDrawn : undefined),
    myLevel: () => g.meState?.level ?? 0,
    myClass: () => g.meState?.template ?? 0,
    myMaxima: () => {
      const m = g.meState;
      const s: SelfState | null = g.session.view.self;
      return m ? { hp: m.maxHp, resource: m.maxMana, resourceName: RESOURCE_NAMES[s?.resource ?? 0] ?? 'mana' } : undefined;
    },
    self: () => g.session.view.self,
    walkTo: (x, y) => g.walkTo(x, y),
    message: (text, bad) => g.combat.hud.message(text, !bad),
  };
}
