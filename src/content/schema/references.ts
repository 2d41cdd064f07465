import { CONTENT_KINDS, ENTRY_KIND, contentFileName, type Content, type ContentKind } from './kinds.ts';
import { aOrAn } from './common.ts';
import { jsonPath, type ContentError, type PathSegment } from './errors.ts';

/** Kinds a reference can point at, by singular name (as map properties and messages spell them). */
export const REFERENCE_KINDS = {
  npc: 'npcs',
  item: 'items',
  loot: 'loot',
  skill: 'skills',
  class: 'classes',
  quest: 'quests',
  event: 'events',
} as const satisfies Record<string, ContentKind>;
export type ReferenceKind = keyof typeof REFERENCE_KINDS;

/** A reference to a content entry from somewhere (a content file, a map object...). */
export interface ContentReference {
  /** File holding the reference, e.g. `quests.json` or `maps/field.tmx`. */
  file: string;
  /** JSON path (or another locator) of the reference inside that file. */
  path: string;
  kind: ReferenceKind;
  id: string;
}

/** Where an id is defined. */
export interface ContentEntryLocation {
  kind: ContentKind;
  file: string;
  path: string;
  index: number;
}

/** Every id of the content with where it is defined (the first definition when duplicated). */
export type ContentIndex = ReadonlyMap<string, ContentEntryLocation>;

export function indexContent(content: Content): ContentIndex {
  const index = new Map<string, ContentEntryLocation>();
  for (const kind of CONTENT_KINDS) {
    const entries = content[kind] as readonly { id: string }[];
    entries.forEach((e, i) => {
      if (!index.has(e.id)) index.set(e.id, { kind, file: contentFileName(kind), path: jsonPath([kind, i, 'id']), index: i });
    });
  }
  return index;
}

// ------------------------------------------------------------------ suggestions

function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

const SUGGEST_LIMIT = 50;

function closest(index: ContentIndex, kind: ContentKind, id: string): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const [other, loc] of index) {
    if (loc.kind !== kind) continue;
    const d = editDistance(id, other, bestD - 1);
    if (d < bestD) {
      bestD = d;
      best = other;
    }
  }
  return best;
}

/** Checks references against the content: each must name an existing entry of its kind. */
export function checkReferences(content: Content | ContentIndex, refs: readonly ContentReference[]): ContentError[] {
  const index = content instanceof Map ? (content as ContentIndex) : indexContent(content as Content);
  const errors: ContentError[] = [];
  for (const ref of refs) {
    const message = referenceProblem(index, ref.kind, ref.id, errors.length < SUGGEST_LIMIT);
    if (message !== undefined) errors.push({ file: ref.file, path: ref.path, message });
  }
  return errors;
}

function referenceProblem(index: ContentIndex, kind: ReferenceKind, id: string, suggest: boolean): string | undefined {
  const want = REFERENCE_KINDS[kind];
  if (want === undefined) return `unknown reference kind ${JSON.stringify(kind)}`;
  const found = index.get(id);
  if (found?.kind === want) return undefined;
  const what = ENTRY_KIND[want];
  if (found !== undefined) return `${JSON.stringify(id)} is ${aOrAn(ENTRY_KIND[found.kind])} (${found.file} ${found.path}), not ${aOrAn(what)}`;
  const hint = suggest ? closest(index, want, id) : undefined;
  return `no ${what} with id ${JSON.stringify(id)}${hint !== undefined ? ` (did you mean ${JSON.stringify(hint)}?)` : ''}`;
}

// ------------------------------------------------------------------ references inside the content

interface LocatedReference {
  file: string;
  segments: PathSegment[];
  kind: ReferenceKind;
  id: string;
}

function contentReferencesLocated(c: Content): LocatedReference[] {
  const refs: LocatedReference[] = [];
  const add = (kind: ContentKind, segments: PathSegment[], to: ReferenceKind, id: string) =>
    refs.push({ file: contentFileName(kind), segments: [kind, ...segments], kind: to, id });
  c.npcs.forEach((n, i) => {
    if (n.loot !== undefined) add('npcs', [i, 'loot'], 'loot', n.loot);
    n.skills.forEach((s, j) => add('npcs', [i, 'skills', j], 'skill', s));
  });
  c.items.forEach((it, i) => {
    if (it.use !== undefined) add('items', [i, 'use', 'skill'], 'skill', it.use.skill);
    it.classes?.forEach((cl, j) => add('items', [i, 'classes', j], 'class', cl));
  });
  c.loot.forEach((t, i) =>
    t.groups.forEach((g, gi) => g.entries.forEach((e, ei) => add('loot', [i, 'groups', gi, 'entries', ei, 'item'], 'item', e.item))),
  );
  c.classes.forEach((cl, i) => {
    cl.skills.forEach((s, j) => add('classes', [i, 'skills', j, 'skill'], 'skill', s.skill));
    cl.startingItems.forEach((s, j) => add('classes', [i, 'startingItems', j, 'item'], 'item', s.item));
  });
  c.quests.forEach((q, i) => {
    add('quests', [i, 'giver'], 'npc', q.giver);
    if (q.turnIn !== undefined) add('quests', [i, 'turnIn'], 'npc', q.turnIn);
    q.prerequisites.forEach((p, j) => add('quests', [i, 'prerequisites', j], 'quest', p));
    q.objectives.forEach((o, j) => {
      if (o.type === 'kill' || o.type === 'talk') add('quests', [i, 'objectives', j, 'npc'], 'npc', o.npc);
      else if (o.type === 'collect') add('quests', [i, 'objectives', j, 'item'], 'item', o.item);
    });
    q.rewards.items.forEach((s, j) => add('quests', [i, 'rewards', 'items', j, 'item'], 'item', s.item));
  });
  c.events.forEach((e, i) => {
    if (e.boss !== undefined) add('events', [i, 'boss', 'npc'], 'npc', e.boss.npc);
    e.rewards.items.forEach((s, j) => add('events', [i, 'rewards', 'items', j, 'item'], 'item', s.item));
  });
  return refs;
}

/** Every reference from one content entry to another, with file and JSON path. */
export function contentReferences(content: Content): ContentReference[] {
  return contentReferencesLocated(content).map((r) => ({ file: r.file, path: jsonPath(r.segments), kind: r.kind, id: r.id }));
}

/** A reference from the content to something a map defines, for the map compiler to check. */
export interface MapReference {
  file: string;
  path: string;
  kind: 'map' | 'area' | 'point';
  /** The map id, for `map`; the object's name, for `area` and `point`. */
  id: string;
  /** The map holding the area or point. */
  map: string;
}

/** References from the content into the maps: quest "reach" areas, world-event maps and boss points. */
export function mapReferences(c: Content): MapReference[] {
  const refs: MapReference[] = [];
  c.quests.forEach((q, i) =>
    q.objectives.forEach((o, j) => {
      if (o.type !== 'reach') return;
      refs.push({ file: 'quests.json', path: jsonPath(['quests', i, 'objectives', j, 'map']), kind: 'map', id: o.map, map: o.map });
      refs.push({ file: 'quests.json', path: jsonPath(['quests', i, 'objectives', j, 'area']), kind: 'area', id: o.area, map: o.map });
    }),
  );
  c.events.forEach((e, i) => {
    refs.push({ file: 'events.json', path: jsonPath(['events', i, 'map']), kind: 'map', id: e.map, map: e.map });
    if (e.boss !== undefined) refs.push({ file: 'events.json', path: jsonPath(['events', i, 'boss', 'point']), kind: 'point', id: e.boss.point, map: e.map });
  });
  return refs;
}

// ------------------------------------------------------------------ the second pass

export interface LocatedError {
  segments: PathSegment[];
  error: ContentError;
}

/**
 * The cross-file pass with path segments kept (so the loader can add line and
 * column): duplicate ids within and across files, references between files,
 * kill objectives on NPCs that cannot be fought, quest prerequisite cycles.
 */
export function crossCheckLocated(c: Content): LocatedError[] {
  const out: LocatedError[] = [];
  const push = (file: string, segments: PathSegment[], message: string) =>
    out.push({ segments, error: { file, path: jsonPath(segments), message } });

  // Duplicate ids.
  const first = new Map<string, ContentEntryLocation>();
  for (const kind of CONTENT_KINDS) {
    const file = contentFileName(kind);
    (c[kind] as readonly { id: string }[]).forEach((e, i) => {
      const prev = first.get(e.id);
      if (prev === undefined) first.set(e.id, { kind, file, path: jsonPath([kind, i, 'id']), index: i });
      else if (prev.kind === kind) push(file, [kind, i, 'id'], `duplicate id ${JSON.stringify(e.id)} (first defined at ${prev.path})`);
      else push(file, [kind, i, 'id'], `duplicate id ${JSON.stringify(e.id)}: already used by the ${ENTRY_KIND[prev.kind]} at ${prev.file} ${prev.path} (ids are unique across all content)`);
    });
  }
  const index: ContentIndex = first;

  // References.
  let suggestions = 0;
  for (const r of contentReferencesLocated(c)) {
    const message = referenceProblem(index, r.kind, r.id, suggestions < SUGGEST_LIMIT);
    if (message !== undefined) {
      suggestions++;
      push(r.file, r.segments, message);
    }
  }

  // Kill objectives must name NPCs that can die.
  const npcs = new Map(c.npcs.map((n) => [n.id, n]));
  c.quests.forEach((q, i) =>
    q.objectives.forEach((o, j) => {
      if (o.type === 'kill' && npcs.get(o.npc)?.hostility === 'friendly')
        push('quests.json', ['quests', i, 'objectives', j, 'npc'], `${JSON.stringify(o.npc)} is friendly and cannot be killed`);
    }),
  );

  // Quest prerequisite cycles (iterative DFS; each cycle reported once, at the edge closing it).
  const quests = new Map<string, number>();
  c.quests.forEach((q, i) => {
    if (!quests.has(q.id)) quests.set(q.id, i);
  });
  const state = new Uint8Array(c.quests.length); // 0 new, 1 on stack, 2 done
  for (let root = 0; root < c.quests.length; root++) {
    if (state[root] !== 0) continue;
    const stack: { q: number; next: number }[] = [{ q: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const prereqs = c.quests[top.q]!.prerequisites;
      if (top.next >= prereqs.length) {
        state[top.q] = 2;
        stack.pop();
        continue;
      }
      const j = top.next++;
      const to = quests.get(prereqs[j]!);
      if (to === undefined) continue; // dangling: reported above
      if (state[to] === 1) {
        const from = stack.findIndex((f) => f.q === to);
        const cycle = [...stack.slice(from).map((f) => c.quests[f.q]!.id), c.quests[to]!.id];
        push('quests.json', ['quests', top.q, 'prerequisites', j], `prerequisite cycle: ${cycle.join(' → ')}`);
      } else if (state[to] === 0) {
        state[to] = 1;
        stack.push({ q: to, next: 0 });
      }
    }
  }
  return out;
}

/** The cross-file pass: see `crossCheckLocated`. */
export function crossCheck(c: Content): ContentError[] {
  return crossCheckLocated(c).map((e) => e.error);
}
