import { EntityKindValues } from './kinds.ts';
import { GOLD_TEMPLATE } from '../../../../src/protocol/item-codes.ts';
import type { ClientEntitiesJson } from './types.ts';

/**
 * What an entity is drawn as and called, from the content's entity
 * catalogue (entities.json): an NPC's `template` n is npcs[n - 1], a
 * player's its class (classes[n - 1]; 0, in a zone without content, drawn
 * as the first class), an item's items[n - 1]. A sprite the atlas lacks is -1
 * (the entity is drawn as a marker).
 */
export class Catalogue {
  readonly json: ClientEntitiesJson;

  constructor(json: ClientEntitiesJson) {
    this.json = json;
  }

  private tile(name: string | undefined): number {
    if (name === undefined) return -1;
    const t = this.json.sprites?.tiles[name];
    return typeof t === 'number' ? t : -1;
  }

  /** Sprite tile of an entity, or -1. */
  spriteOf(kind: number, template: number): number {
    switch (kind) {
      case EntityKindValues.PLAYER:
        return this.tile((this.json.classes[template - 1] ?? this.json.classes[0])?.id);
      case EntityKindValues.NPC:
        return this.tile(this.json.npcs[template - 1]?.id);
      case EntityKindValues.ITEM: {
        const t = this.tile(this.json.items[template - 1]?.id);
        return t >= 0 ? t : this.tile('gold');
      }
      case EntityKindValues.CORPSE:
        return this.tile('corpse');
      default:
        return -1;
    }
  }

  /** Name shown over an entity ('' for none); `self` is the player's own name for its own entity. */
  nameOf(kind: number, template: number): string {
    switch (kind) {
      case EntityKindValues.PLAYER:
        return this.json.classes[template - 1]?.name ?? 'Adventurer';
      case EntityKindValues.NPC:
        return this.json.npcs[template - 1]?.name ?? 'Creature';
      case EntityKindValues.ITEM:
        return this.json.items[template - 1]?.name ?? (template === GOLD_TEMPLATE ? 'Gold' : '');
      default:
        return '';
    }
  }
}
