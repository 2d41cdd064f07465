import { describe, expect, it } from 'vitest';
import {
  checkReferences,
  contentReferences,
  formatContentError,
  indexContent,
  loadContent,
  mapReferences,
  parseContentFile,
  type ContentError,
  type ContentReader,
  type LoadResult,
} from '../../../src/content/schema/index.ts';
import { edited, fixtureTexts, readerOf, withText } from './fixture.ts';

function errorsOf(r: LoadResult): ContentError[] {
  if (r.ok) throw new Error('expected the load to fail');
  return r.errors;
}

/** Loads and expects exactly one error at `file` `path` whose message matches. */
function expectError(read: ContentReader, file: string, path: string, message: RegExp): ContentError {
  const errors = errorsOf(loadContent(read));
  const hit = errors.find((e) => e.file === file && e.path === path);
  expect(hit, `no error at ${file} ${path}; got:\n${errors.map(formatContentError).join('\n')}`).toBeDefined();
  expect(hit!.message).toMatch(message);
  return hit!;
}

describe('content loader: valid content', () => {
  it('loads the fixture folder with defaults applied', () => {
    const r = loadContent(readerOf(fixtureTexts()));
    if (!r.ok) throw new Error(r.errors.map(formatContentError).join('\n'));
    expect(r.missing).toEqual([]);
    expect(r.content.npcs.map((n) => n.id)).toContain('npc.wolf');
    const boar = r.content.npcs.find((n) => n.id === 'npc.boar')!;
    expect(boar.respawnJitterSeconds).toBe(0);
    expect(boar.skills).toEqual([]);
    expect(r.content.items.find((i) => i.id === 'item.wolf_pelt')!.quality).toBe('common');
    expect(r.content.loot[1]!.groups[0]!.entries[0]!.quantity).toEqual({ min: 1, max: 1 });
    expect(r.content.skills.find((s) => s.id === 'skill.fireball')!.lineOfSight).toBe(true);
    expect(r.content.classes[1]!.resource).toBe('mana');
    expect(r.content.quests[0]!.repeatable).toBe(false);
    expect(r.content.events[1]!.rewards).toEqual({ experience: 0, gold: 10, items: [] });
  });

  it('treats a missing file as an empty kind and lists it', () => {
    const files = fixtureTexts();
    files.delete('events.json');
    const r = loadContent(readerOf(files));
    expect(r.ok && r.missing).toEqual(['events.json']);
    expect(r.ok && r.content.events).toEqual([]);
  });

  it('accepts a byte-order mark and a missing $schema', () => {
    const files = fixtureTexts();
    const items = JSON.parse(files.get('items.json')!) as Record<string, unknown>;
    delete items.$schema;
    files.set('items.json', `\ufeff${JSON.stringify(items)}`);
    expect(loadContent(readerOf(files)).ok).toBe(true);
  });

  it('lists the references into the maps for the map compiler', () => {
    const r = loadContent(readerOf(fixtureTexts()));
    if (!r.ok) throw new Error('fixture failed');
    expect(mapReferences(r.content)).toContainEqual({ file: 'events.json', path: '$.events[0].boss.point', kind: 'point', id: 'alpha_den', map: 'field' });
    expect(contentReferences(r.content)).toContainEqual({ file: 'npcs.json', path: '$.npcs[0].loot', kind: 'loot', id: 'loot.wolf' });
  });
});

describe('content loader: errors carry file, JSON path and position', () => {
  it('formats leash < aggro as in the docs, with line and column', () => {
    const e = expectError(
      edited('npcs.json', (j) => (j.npcs[3].leashRadius = 5)),
      'npcs.json',
      '$.npcs[3].leashRadius',
      /must be ≥ aggroRadius/,
    );
    expect(formatContentError({ ...e, line: undefined, column: undefined })).toBe('npcs.json $.npcs[3].leashRadius: must be ≥ aggroRadius');
    expect(formatContentError(e)).toBe(`npcs.json:${e.line}:${e.column} $.npcs[3].leashRadius: must be ≥ aggroRadius`);
    // The reported line and column point at the key's opening quote.
    const edit = JSON.parse(fixtureTexts().get('npcs.json')!);
    edit.npcs[3].leashRadius = 5;
    const lines = JSON.stringify(edit, null, 2).split('\n');
    expect(lines[e.line! - 1]!.slice(e.column! - 1)).toMatch(/^"leashRadius": 5/);
  });

  it('refuses malformed JSON with line and column', () => {
    const bad = '{\n  "npcs": [\n    { "id": "npc.a", }\n  ]\n}\n';
    const [e, ...rest] = errorsOf(loadContent(withText('npcs.json', bad)));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: 'npcs.json', path: '$', line: 3, column: 22 });
    expect(e!.message).toMatch(/^malformed JSON/);
    for (const text of ['', '{', '{"npcs": [1, 2', 'nul', '{"npcs": []} x', '\u0000']) {
      const errs = errorsOf(loadContent(withText('npcs.json', text)));
      expect(errs).toHaveLength(1);
      expect(errs[0]!.message).toMatch(/^malformed JSON/);
      expect(errs[0]!.line).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a file that is not an object of the right shape', () => {
    expectError(withText('items.json', '[]'), 'items.json', '$', /expected object, got an array/);
    expectError(withText('items.json', '{"items": {}}'), 'items.json', '$.items', /expected array, got an object/);
    expectError(withText('items.json', '{"things": []}'), 'items.json', '$.things', /unknown key "things"/);
    expectError(withText('items.json', '{"$schema": "./npcs.schema.json", "items": []}'), 'items.json', '$.$schema', /items\.schema\.json/);
  });

  it('reports errors of every file, not only the first', () => {
    const files = fixtureTexts();
    files.set('npcs.json', '{');
    files.set('quests.json', '{"quests": [{}]}');
    const errs = errorsOf(loadContent(readerOf(files)));
    expect(new Set(errs.map((e) => e.file))).toEqual(new Set(['npcs.json', 'quests.json']));
  });

  it('turns a throwing reader into an error', () => {
    const errs = errorsOf(
      loadContent((name) => {
        if (name === 'skills.json') throw new Error('EACCES');
        return fixtureTexts().get(name);
      }),
    );
    expect(errs).toEqual([{ file: 'skills.json', path: '$', message: 'cannot read: EACCES' }]);
  });

  it('caps the number of errors per file', () => {
    const npcs = Array.from({ length: 500 }, () => ({ id: 'BAD' }));
    const errs = errorsOf(loadContent(withText('npcs.json', JSON.stringify({ npcs }))));
    expect(errs.length).toBe(101);
    expect(errs.at(-1)!.message).toMatch(/more errors/);
  });
});

describe('content loader: every kind rejects bad entries', () => {
  const cases: [string, string, (j: any) => void, string, RegExp][] = [
    // [description, file, edit, path, message]
    ['bad id format', 'npcs.json', (j) => (j.npcs[0].id = 'Wolf'), '$.npcs[0].id', /dotted lowercase id/],
    ['id without a dot', 'items.json', (j) => (j.items[0].id = 'wolf_pelt'), '$.items[0].id', /dotted lowercase id/],
    ['unknown key', 'npcs.json', (j) => (j.npcs[1].colour = 'grey'), '$.npcs[1].colour', /unknown key "colour"/],
    ['negative number', 'npcs.json', (j) => (j.npcs[0].speed = -1), '$.npcs[0].speed', /must be ≥ 0, got the integer -1/],
    ['infinite number (1e999)', 'npcs.json', (j) => (j.npcs[0].speed = '__INF__'), '$.npcs[0].speed', /expected number, got Infinity/],
    ['fractional level', 'npcs.json', (j) => (j.npcs[0].level = 2.5), '$.npcs[0].level', /must be an integer/],
    ['missing key', 'npcs.json', (j) => delete j.npcs[2].respawnSeconds, '$.npcs[2].respawnSeconds', /is required/],
    ['jitter > respawn', 'npcs.json', (j) => (j.npcs[0].respawnJitterSeconds = 31), '$.npcs[0].respawnJitterSeconds', /≤ respawnSeconds/],
    ['aggressive NPC without attack', 'npcs.json', (j) => delete j.npcs[0].attack, '$.npcs[0].attack', /is required for an aggressive NPC/],
    ['unknown AI kind', 'npcs.json', (j) => (j.npcs[0].ai = 'dance'), '$.npcs[0].ai', /must be one of "idle", "wander", "patrol"/],
    ['no health', 'npcs.json', (j) => delete j.npcs[0].stats.health, '$.npcs[0].stats.health', /required/],
    ['string too long', 'npcs.json', (j) => (j.npcs[0].name = 'W'.repeat(65)), '$.npcs[0].name', /at most 64 characters, has 65/],
    ['bidi override in a name', 'items.json', (j) => (j.items[0].name = 'Wolf \u202e Pelt'), '$.items[0].name', /bidi/],
    ['oversized array', 'npcs.json', (j) => (j.npcs[2].skills = Array(17).fill('skill.poison')), '$.npcs[2].skills', /at most 16 entries, has 17/],
    ['too many NPCs', 'npcs.json', (j) => (j.npcs = Array(4097).fill(j.npcs[0])), '$.npcs', /at most 4096 entries, has 4097/],
    ['equipment without slot', 'items.json', (j) => delete j.items[3].slot, '$.items[3].slot', /required for a weapon/],
    ['stacking equipment', 'items.json', (j) => (j.items[5].stackSize = 5), '$.items[5].stackSize', /must be 1 for equipment/],
    ['consumable without use', 'items.json', (j) => delete j.items[2].use, '$.items[2].use', /required for a consumable/],
    ['bad slot', 'items.json', (j) => (j.items[3].slot = 'tail'), '$.items[3].slot', /must be one of/],
    ['group chances over 10,000', 'loot.json', (j) => (j.loot[0].groups[1].entries[0].chance = 9950), '$.loot[0].groups[1].entries', /sum to 10,050 parts per 10,000 \(100\.50 %\).*at most 10,000/],
    ['chance of 0', 'loot.json', (j) => (j.loot[1].groups[0].entries[0].chance = 0), '$.loot[1].groups[0].entries[0].chance', /must be ≥ 1/],
    ['quantity max < min', 'loot.json', (j) => (j.loot[0].groups[0].entries[0].quantity = { min: 3, max: 2 }), '$.loot[0].groups[0].entries[0].quantity.max', /max must be ≥ min/],
    ['empty group', 'loot.json', (j) => (j.loot[1].groups[0].entries = []), '$.loot[1].groups[0].entries', /at least 1 entry/],
    ['unknown effect type', 'skills.json', (j) => (j.skills[0].effects[0].type = 'explode'), '$.skills[0].effects[0].type', /must be one of "damage", "heal"/],
    ['unknown key in an effect', 'skills.json', (j) => (j.skills[0].effects[0].power = 1), '$.skills[0].effects[0].power', /unknown key/],
    ['point skill without area', 'skills.json', (j) => delete j.skills[2].area, '$.skills[2].area', /required for a point-targeted skill/],
    ['over-time shorter than a tick', 'skills.json', (j) => (j.skills[5].effects[0].durationMs = 500), '$.skills[5].effects[0].durationMs', /≥ tickMs/],
    ['negative cooldown', 'skills.json', (j) => (j.skills[1].cooldownMs = -5), '$.skills[1].cooldownMs', /must be ≥ 0/],
    ['curve of the wrong length', 'classes.json', (j) => j.classes[0].experience.pop(), '$.classes[0].experience', /maxLevel - 1 = 9 entries/],
    ['curve not increasing', 'classes.json', (j) => (j.classes[1].experience[4] = 10), '$.classes[1].experience[4]', /greater than the previous/],
    ['skill learned above max level', 'classes.json', (j) => (j.classes[0].skills[1].level = 11), '$.classes[0].skills[1].level', /≤ maxLevel \(10\)/],
    ['quest without objectives', 'quests.json', (j) => (j.quests[0].objectives = []), '$.quests[0].objectives', /at least 1 entry/],
    ['objective without type', 'quests.json', (j) => delete j.quests[0].objectives[0].type, '$.quests[0].objectives[0].type', /is required \(one of "kill"/],
    ['cooldown on a one-off quest', 'quests.json', (j) => (j.quests[0].repeatCooldownSeconds = 10), '$.quests[0].repeatCooldownSeconds', /only applies to repeatable/],
    ['bad daily time', 'events.json', (j) => (j.events[1].schedule.times[1] = '25:00'), '$.events[1].schedule.times[1]', /HH:MM/],
    ['event longer than its interval', 'events.json', (j) => (j.events[0].durationSeconds = 8000), '$.events[0].durationSeconds', /≤ schedule\.everySeconds/],
    ['too many announcements', 'events.json', (j) => (j.events[0].announcements = Array(9).fill({ offsetSeconds: 0, text: 'x' })), '$.events[0].announcements', /at most 8 entries/],
    ['NaN-like string for a number', 'events.json', (j) => (j.events[0].durationSeconds = 'NaN'), '$.events[0].durationSeconds', /expected number, got the string "NaN"/],
  ];

  it.each(cases)('%s', (_what, file, edit, path, message) => {
    let read = edited(file, edit);
    if (_what.includes('1e999')) {
      const text = read(file)!.replace('"__INF__"', '1e999');
      read = withText(file, text);
    }
    const e = expectError(read, file, path, message);
    expect(e.line).toBeGreaterThanOrEqual(1);
  });

  it('rejects NaN and Infinity passed as values, not only as JSON', () => {
    const r = parseContentFile('npcs', '{"npcs": [{"id": "npc.x", "level": 1e999}]}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.find((e) => e.path === '$.npcs[0].level')?.message).toMatch(/got Infinity/);
  });
});

describe('content loader: cross-file pass', () => {
  it('reports a dangling loot → item reference with a suggestion', () => {
    expectError(
      edited('loot.json', (j) => (j.loot[0].groups[0].entries[0].item = 'item.wolf_pelts')),
      'loot.json',
      '$.loot[0].groups[0].entries[0].item',
      /no item with id "item.wolf_pelts" \(did you mean "item.wolf_pelt"\?\)/,
    );
  });

  const refCases: [string, string, (j: any) => void, string, RegExp][] = [
    ['NPC → loot table', 'npcs.json', (j) => (j.npcs[1].loot = 'loot.nope'), '$.npcs[1].loot', /no loot table with id "loot.nope"/],
    ['NPC → skill', 'npcs.json', (j) => (j.npcs[2].skills = ['skill.nope']), '$.npcs[2].skills[0]', /no skill/],
    ['item → skill', 'items.json', (j) => (j.items[2].use.skill = 'skill.nope'), '$.items[2].use.skill', /no skill/],
    ['item → class', 'items.json', (j) => (j.items[4].classes = ['class.rogue']), '$.items[4].classes[0]', /no class/],
    ['class → skill', 'classes.json', (j) => (j.classes[0].skills[0].skill = 'skill.nope'), '$.classes[0].skills[0].skill', /no skill/],
    ['class → item', 'classes.json', (j) => (j.classes[1].startingItems[0].item = 'item.nope'), '$.classes[1].startingItems[0].item', /no item/],
    ['quest objective → NPC', 'quests.json', (j) => (j.quests[0].objectives[0].npc = 'npc.wolfs'), '$.quests[0].objectives[0].npc', /no NPC .*did you mean "npc.wolf"/],
    ['quest objective → item', 'quests.json', (j) => (j.quests[1].objectives[0].item = 'item.tusk'), '$.quests[1].objectives[0].item', /no item/],
    ['quest giver → NPC', 'quests.json', (j) => (j.quests[0].giver = 'npc.nobody'), '$.quests[0].giver', /no NPC/],
    ['quest reward → item', 'quests.json', (j) => (j.quests[0].rewards.items[0].item = 'item.nope'), '$.quests[0].rewards.items[0].item', /no item/],
    ['quest prerequisite → quest', 'quests.json', (j) => (j.quests[1].prerequisites = ['quest.nope']), '$.quests[1].prerequisites[0]', /no quest/],
    ['event boss → NPC', 'events.json', (j) => (j.events[0].boss.npc = 'npc.nope'), '$.events[0].boss.npc', /no NPC/],
    ['wrong kind', 'npcs.json', (j) => (j.npcs[0].loot = 'item.wolf_pelt'), '$.npcs[0].loot', /"item.wolf_pelt" is an item \(items.json \$.items\[0\].id\), not a loot table/],
    ['kill a friendly NPC', 'quests.json', (j) => (j.quests[0].objectives[0].npc = 'npc.elder_mara'), '$.quests[0].objectives[0].npc', /friendly and cannot be killed/],
  ];
  it.each(refCases)('%s', (_what, file, edit, path, message) => {
    const e = expectError(edited(file, edit), file, path, message);
    expect(e.line).toBeGreaterThanOrEqual(1);
  });

  it('reports duplicate ids within a file', () => {
    expectError(edited('items.json', (j) => (j.items[4].id = 'item.wolf_pelt')), 'items.json', '$.items[4].id', /duplicate id "item.wolf_pelt" \(first defined at \$\.items\[0\]\.id\)/);
  });

  it('reports duplicate ids across files', () => {
    expectError(
      edited('skills.json', (j) => (j.skills[0].id = 'npc.wolf')),
      'skills.json',
      '$.skills[0].id',
      /duplicate id "npc.wolf": already used by the NPC at npcs.json \$\.npcs\[0\]\.id/,
    );
  });

  it('reports a quest prerequisite cycle', () => {
    const errs = errorsOf(loadContent(edited('quests.json', (j) => (j.quests[0].prerequisites = ['quest.bandit_bounty']))));
    const cycles = errs.filter((e) => /prerequisite cycle/.test(e.message));
    expect(cycles.length).toBeGreaterThanOrEqual(1);
    expect(cycles[0]!.file).toBe('quests.json');
    expect(cycles[0]!.message).toMatch(/quest\.wolf_cull → quest\.bandit_bounty → .* → quest\.wolf_cull|quest\.bandit_bounty → .*quest\.wolf_cull → quest\.bandit_bounty/);
    expect(cycles[0]!.path).toMatch(/^\$\.quests\[\d\]\.prerequisites\[\d\]$/);
  });

  it('reports a quest that requires itself', () => {
    expectError(edited('quests.json', (j) => (j.quests[2].prerequisites = ['quest.scout_report'])), 'quests.json', '$.quests[2].prerequisites[0]', /cycle: quest.scout_report → quest.scout_report/);
  });

  it('handles a long prerequisite chain without recursion', () => {
    const quests = Array.from({ length: 4096 }, (_, i) => ({
      id: `quest.q${i}`,
      name: `Q${i}`,
      giver: 'npc.elder_mara',
      prerequisites: i > 0 ? [`quest.q${i - 1}`] : ['quest.q4095'],
      objectives: [{ type: 'talk', npc: 'npc.elder_mara' }],
    }));
    const errs = errorsOf(loadContent(withText('quests.json', JSON.stringify({ quests }))));
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toMatch(/^prerequisite cycle: quest\.q0 → quest\.q4095 → quest\.q4094/);
  });

  it('checks references from elsewhere (map spawns, portals) with the same messages', () => {
    const r = loadContent(readerOf(fixtureTexts()));
    if (!r.ok) throw new Error('fixture failed');
    const refs = [
      { file: 'maps/field.tmx', path: 'objects[12].properties.npc', kind: 'npc', id: 'npc.wolf' },
      { file: 'maps/field.tmx', path: 'objects[13].properties.npc', kind: 'npc', id: 'npc.wolff' },
      { file: 'maps/town.tmj', path: '$.layers[2].objects[0].properties[0].value', kind: 'npc', id: 'item.wolf_pelt' },
    ] as const;
    const errs = checkReferences(r.content, refs);
    expect(errs).toEqual([
      { file: 'maps/field.tmx', path: 'objects[13].properties.npc', message: 'no NPC with id "npc.wolff" (did you mean "npc.wolf"?)' },
      { file: 'maps/town.tmj', path: '$.layers[2].objects[0].properties[0].value', message: expect.stringMatching(/is an item .* not an NPC/) },
    ]);
    expect(checkReferences(indexContent(r.content), refs)).toEqual(errs);
  });
});
