import { UPDATE_PRIORITY, type Application } from 'pixi.js';
import type { Game } from './game.ts';
import type { DebugCombat, DebugEntity, DebugHook, DebugItems, DebugQuests, DebugState, FrameStats } from './debug-types.ts';

export type { DebugCombat, DebugEntity, DebugHook, DebugItems, DebugQuests, DebugState, FrameStats };

/**
 * window.__tessera: what the acceptance tests read (entity positions as
 * drawn, on screen, the zone and its drawn tiles). Installed only when the
 * page's URL has `debug=1` or localStorage has `tessera.debug` = 1 (a test
 * that arrives through a link); a player's page has none of it.
 */
export function installDebugHook(app: Application, game: () => Game | null): void {
  const state = (): DebugState => {
    const g = game();
    const combat: DebugCombat = { target: 0, targetHp: 0, targetMaxHp: 0, serverTarget: 0, floaters: 0, hotbar: [], autoAttack: false, xp: 0, resource: 0, hits: {}, names: {}, auras: { me: [], target: [] }, messages: [], casting: {} };
    const quests: DebugQuests = { log: {}, markers: {}, dialogOpen: false };
    const items: DebugItems = { known: false, gold: 0, bag: [], equipment: [], bagOpen: false, characterOpen: false, waiting: 0 };
    const empty: DebugState = { state: -1, zone: '', zoneTitle: '', loading: true, tick: 0, me: null, others: [], tilesDrawn: {}, frames: 0, rtt: 0, corrections: 0, tile: 32, scale: 1, worldX: 0, worldY: 0, background: '', combat, quests, items };
    if (!g) return empty;
    const ent = (id: number, kind: number, template: number, flags: number, x: number, y: number): DebugEntity => {
      const s = g.toScreen(x, y);
      return { id, kind, template, flags, x, y, sx: s.x, sy: s.y };
    };
    const m = g.meState;
    return {
      state: g.session.state,
      zone: g.zoneName,
      zoneTitle: g.zoneTitle,
      loading: g.zoneLoading,
      tick: g.session.view.lastTick,
      me: g.me && m ? { ...ent(g.me.id, m.kind, m.template, m.flags, g.meDrawn.x, g.meDrawn.y), serverX: g.meServer.x, serverY: g.meServer.y } : null,
      others: [...g.others.entries()].map(([id, o]) => ent(id, o.state.kind, o.state.template, o.state.flags, o.drawn.x, o.drawn.y)),
      tilesDrawn: g.mapView?.tilesDrawn ?? {},
      frames: g.frames,
      rtt: g.session.rtt,
      corrections: g.predictor?.corrections ?? 0,
      tile: g.tile,
      scale: g.world.scale.x,
      worldX: g.world.x,
      worldY: g.world.y,
      background: g.zone?.map.backgroundColor ?? '',
      combat: {
        target: g.combat.target,
        targetHp: g.others.get(g.combat.target)?.state.hp ?? 0,
        targetMaxHp: g.others.get(g.combat.target)?.state.maxHp ?? 0,
        serverTarget: m?.target ?? 0,
        floaters: g.combat.floaters.shown,
        hotbar: g.combat.hotbar.slots.map((s) => s.skill),
        autoAttack: g.session.view.self?.autoAttack ?? false,
        xp: g.session.view.self?.xp ?? 0,
        resource: m?.mana ?? 0,
        hits: Object.fromEntries(g.combat.hits),
        names: Object.fromEntries(g.names),
        auras: g.combat.aurasShown,
        messages: [...g.combat.hud.said],
        casting: Object.fromEntries([...g.others].filter(([, o]) => o.view.casting).map(([id, o]) => [id, o.state.castSkill])),
      },
      quests: g.quests.debug(),
      items: g.items.debug(),
    };
  };
  const hook: DebugHook = {
    state,
    walkTo(x, y) {
      game()?.walkTo(x, y);
    },
    frames(ms) {
      return new Promise((resolve) => {
        const out: FrameStats = { work: [], update: [], interval: [], entities: 0 };
        let began = 0;
        let last = 0;
        const start = performance.now();
        // First of the frame (before the game's update) and last (after PixiJS's render, which runs at LOW).
        const begin = () => {
          began = performance.now();
          if (last > 0) out.interval.push(began - last);
          last = began;
        };
        const updated = () => out.update.push(performance.now() - began);
        const end = () => {
          out.work.push(performance.now() - began);
          out.entities = Math.max(out.entities, game()?.others.size ?? 0);
          if (performance.now() - start >= ms) {
            app.ticker.remove(begin);
            app.ticker.remove(updated);
            app.ticker.remove(end);
            resolve(out);
          }
        };
        app.ticker.add(begin, undefined, UPDATE_PRIORITY.INTERACTION + 1);
        app.ticker.add(updated, undefined, UPDATE_PRIORITY.LOW + 1);
        app.ticker.add(end, undefined, UPDATE_PRIORITY.UTILITY);
      });
    },
    track(id, ms) {
      return new Promise((resolve) => {
        const out: { t: number; x: number; y: number; tick: number }[] = [];
        const start = performance.now();
        const sample = () => {
          const g = game();
          const o = g?.others.get(id);
          if (g && o) out.push({ t: performance.now() - start, x: o.drawn.x, y: o.drawn.y, tick: g.session.view.lastTick });
          if (performance.now() - start >= ms) {
            app.ticker.remove(sample);
            resolve(out);
          }
        };
        app.ticker.add(sample);
      });
    },
  };
  (window as unknown as { __tessera: DebugHook }).__tessera = hook;
}
