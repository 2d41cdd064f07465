/**
 * The client's view of the content: the JSON types it reads are what the
 * compiler writes (checked by the type checker: the build's types must be
 * assignable to the client's), entity kinds and flags agree with the
 * server's layout, and the catalogue picks sprites and names by kind.
 */
import { describe, expect, it } from 'vitest';
import type { ClientEntities } from '../../../../src/content/build/client-entities.ts';
import type { ClientMap } from '../../../../src/content/build/client-map.ts';
import type { ClientManifest } from '../../../../src/content/build/manifest.ts';
import { EntityFlags, EntityKind } from '../../../../src/shared/layout.ts';
import { Catalogue } from '../../../../web/client/src/content/catalogue.ts';
import { EntityFlagValues, EntityKindValues } from '../../../../web/client/src/content/kinds.ts';
import type { ClientEntitiesJson, ClientManifestJson, ClientMapJson } from '../../../../web/client/src/content/types.ts';

// Compile-time: a change to what the compiler writes that the client would misread fails `tsc`.
export type BuildMatchesClient = [ClientMap extends ClientMapJson ? true : never, ClientManifest extends ClientManifestJson ? true : never, ClientEntities extends ClientEntitiesJson ? true : never];
const matches: BuildMatchesClient = [true, true, true];

describe('client catalogue', () => {
  it('reads the JSON the compiler writes', () => {
    expect(matches).toEqual([true, true, true]);
  });

  it('has the server\'s entity kinds and flags', () => {
    for (const [k, v] of Object.entries(EntityKindValues)) expect(EntityKind[k as keyof typeof EntityKind], k).toBe(v);
    for (const [k, v] of Object.entries(EntityFlagValues)) expect(EntityFlags[k as keyof typeof EntityFlags], k).toBe(v);
  });

  it('picks sprites and names by kind, class, NPC template and item', () => {
    const c = new Catalogue({
      format: 2,
      sprites: { image: { path: 'images/x.png', width: 512, height: 96, transparentColor: '' }, tileWidth: 32, tileHeight: 32, columns: 16, spacing: 0, margin: 0, tileOffsetX: 0, tileOffsetY: 0, tiles: { 'class.warrior': 0, 'class.mage': 1, 'npc.wolf': 9, gold: 18, corpse: 37 } },
      npcs: [{ id: 'npc.guard', name: 'Guard', level: 12, hostility: 'friendly' }, { id: 'npc.wolf', name: 'Grey Wolf', level: 2, hostility: 'aggressive' }],
      classes: [{ id: 'class.warrior', name: 'Warrior', resource: 'rage', skills: [] }, { id: 'class.mage', name: 'Mage', resource: 'mana', skills: [] }],
      items: [{ id: 'item.bread', name: 'Bread' }],
      skills: [],
    });
    expect(c.spriteOf(EntityKind.NPC, 2)).toBe(9);
    expect(c.spriteOf(EntityKind.NPC, 1)).toBe(-1); // no sprite: a marker
    expect(c.nameOf(EntityKind.NPC, 2)).toBe('Grey Wolf');
    expect(c.spriteOf(EntityKind.PLAYER, 0)).toBe(0); // no class (a zone without content): the first class
    expect(c.spriteOf(EntityKind.PLAYER, 2)).toBe(1);
    expect(c.spriteOf(EntityKind.ITEM, 1)).toBe(18); // no sprite of its own: gold
    expect(c.nameOf(EntityKind.ITEM, 1)).toBe('Bread');
    expect(c.spriteOf(EntityKind.CORPSE, 0)).toBe(37);
  });
});
