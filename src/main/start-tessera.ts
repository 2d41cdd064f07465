/**
 * startTessera: the running world inside one process, without the process
 * concerns (configuration from the environment, signals, persistence wiring,
 * building the browser client: those are main.ts). Starts the zone cells
 * (zones/), the gate (gate/) and the one HTTP server (http/), and stops them
 * in order. Tests start it directly.
 */
import type { AddressInfo } from 'node:net';
import type { LoadedWorld } from '../content/load-world.ts';
import { ChatService, chatHostOf, type MuteCheck } from './chat/index.ts';
import type { ChatMetrics } from './metrics/chat.ts';
import type { ItemMetrics } from './metrics/items.ts';
import type { Config } from './config.ts';
import { Gate } from './gate/gate.ts';
import { noGateMetrics, type GateMetrics } from './metrics/gate-metrics.ts';
import { clientRoute } from './http/client-route.ts';
import { contentRoute } from './http/content-route.ts';
import { healthHandler } from './http/health.ts';
import { createHttpServer, type HttpHandler } from './http/http-server.ts';
import { loadTls, type TlsMaterial } from './http/tls.ts';
import type { HttpMetrics } from './metrics/http.ts';
import { ClientAddresses } from './net/client-address.ts';
import type { Logger } from './log.ts';
import { CellSupervisor, type ZoneHandle, type ZoneLaunch } from './zones/supervisor.ts';
import { recoverZone } from './zone-recovery.ts';
import type { World } from './gate/world.ts';
import type { Db } from './persistence/db.ts';
import { ItemCatalogue } from './items/catalogue.ts';
import { ItemStore } from './items/item-store.ts';
import { gateItems } from './items/gate-items.ts';
import type { ItemService } from './items/item-service.ts';
import { GroundSweeper } from './items/ground-sweep.ts';
import type { ResumeClock } from './gate/resume.ts';
import type { CellOptions } from '../shared/cell-contract.ts';
import { zonesFromConfig, zonesFromWorld } from './zones/zones.ts';
import { questsOf } from './quests/quests-of.ts';
import { WorldEvents } from './events/world-events.ts';
import { announcingInChat } from './events/chat-announcements.ts';
import { zoneMapsOf } from './zones/zone-maps.ts';
import { worldStatusRoute } from './http/world-status-route.ts';
import { Anticheat } from './anticheat/anticheat.ts';
import { watchCellViolations } from './anticheat/cell-violations.ts';
import { gateViolations } from './anticheat/gate-violations.ts';
import { gateAnticheatHost } from './anticheat/gate-host.ts';
import type { Connection } from './gate/connection.ts';
import type { AnticheatMetrics } from './metrics/anticheat.ts';
import type { BanTarget } from './moderation/bans.ts';

export interface TesseraOptions {
  log: Logger;
  /** Accounts and saves; null serves guests only. */
  world?: World | null;
  /** Extra HTTP handlers (metrics, API, pages), tried in order after health. */
  handlers?: HttpHandler[];
  gateMetrics?: GateMetrics;
  httpMetrics?: HttpMetrics;
  chatMetrics?: ChatMetrics;
  /** Item operations and transactions (metrics/items.ts); none counted when left out. */
  itemMetrics?: ItemMetrics;
  /** Who may not chat (an operator console's); nobody is muted otherwise. */
  mute?: MuteCheck;
  /** Certificate and key already loaded (main.ts loads them before anything starts); read from cfg.tls otherwise. */
  tls?: TlsMaterial;
  /** Zones to run instead of the configured one (tests). */
  zones?: ZoneLaunch[];
  /** A supervisor made beforehand (so metrics can watch it); one is made otherwise. */
  supervisor?: CellSupervisor;
  /**
   * The compiled content (content/load-world.ts): its zones run when the
   * configuration names none (cfg.zonesFromContent), every cell gets its
   * content pack, and /content/ serves the client's files.
   */
  content?: LoadedWorld | null;
  /** The browser client's build folder, served at /client/ (http/client-route.ts); none when unset. */
  clientDir?: string | null;
  /** Overrides the content hash told to clients in WELCOME and ZONE_CHANGE (tests); the loaded content's otherwise, '' without content. */
  contentHash?: string;
  /** The storage's database: characters' items and quest logs (with content, the gate serves both); without it, no items, and quest logs live in memory. */
  db?: Db | null;
  /** The timers of the gate's resume grace (tests drive them); real timers otherwise. */
  resumeClock?: ResumeClock;
  /** Options added to every cell of every zone (the test-only fault hooks, faults/fault-hooks.ts); extra systemModules are appended. */
  cellOptions?: Pick<CellOptions, 'systemModules' | 'faultFlags'>;
  /** Bans the gate checks at the handshake (moderation/bans.ts); none when left out. */
  bans?: { refusal(accountId: number, address: string): string | undefined };
  /**
   * The anti-cheat's metric (tessera_anticheat_violations_total) and how it
   * stores a temporary ban (moderation/bans.ts BanList.ban); without a ban
   * store its bans only close the connection.
   */
  anticheat?: { metrics?: AnticheatMetrics; ban?: (target: BanTarget, reason: string, untilMs: number) => Promise<unknown> };
}

export interface Tessera {
  readonly port: number;
  /** True when the server speaks HTTPS and wss:// (TLS_CERT, TLS_KEY). */
  readonly tls: boolean;
  readonly gate: Gate;
  /** Chat: announce(zone | 'all', text) and the mute check (src/main/chat/). */
  readonly chat: ChatService;
  /** Anti-cheat enforcement (src/main/anticheat/): what every check reports goes here. */
  readonly anticheat: Anticheat<Connection>;
  /** The item ledger (the store) and the service that tells playing characters of changes; null without a database and content. */
  readonly items: { store: ItemStore; service: ItemService } | null;
  readonly supervisor: CellSupervisor;
  /** The content hash of the loaded build (for the handshake), undefined without content. */
  readonly contentHash: string | undefined;
  /** Graceful stop: no new connections, players released (saved), cells stopped. */
  close(): Promise<void>;
}

/** Starts the cells, the gate and the HTTP server; resolves once all cells tick and the port listens. */
export async function startTessera(cfg: Config, o: TesseraOptions): Promise<Tessera> {
  const supervisor = o.supervisor ?? new CellSupervisor(o.log);
  const content = o.content ?? null;
  const chosen = o.zones ?? (content && cfg.zonesFromContent ? zonesFromWorld(cfg, content) : zonesFromConfig(cfg, (message) => o.log.warn(message), content?.catalogue.npcs.map((n) => n.id)));
  // Every cell of every zone views the one content pack (NPC templates), whichever way its zone was chosen.
  const withContent = content ? chosen.map((z) => ({ ...z, cell: { ...z.cell, content: content.content } })) : chosen;
  const withOptions = o.cellOptions ? withContent.map((z) => ({ ...z, cell: withCellOptions(z.cell, o.cellOptions!) })) : withContent;
  // The gate makes experience durable before its cells tell it (gate/cell-reports.ts experience).
  // Rings sized from the configuration (main/memory-config.ts), unless the caller sized them.
  const zones = withOptions.map((z) => ({ ...z, ringSizes: z.ringSizes ?? cfg.memory.rings, spec: { ...z.spec, confirmExperience: true } }));
  const tls = o.tls ?? (cfg.tls ? loadTls(cfg.tls) : undefined);
  await supervisor.start(zones);
  // One resolver for the gate and the HTTP server: the same client address in the gate's limits and the API's.
  const addresses = new ClientAddresses(cfg.trustedProxies);
  const maps = zoneMapsOf(supervisor.zones);
  // Chat is built on the gate, after it; world events (built by the gate) find it here when they announce.
  let chatNow: ChatService | undefined;
  const itemStore = o.db && content ? new ItemStore(o.db, new ItemCatalogue(content.catalogue.items, content.catalogue.skills.map((k) => k.id))) : null;
  let itemService: ItemService | undefined;
  // Ground rows that no cell shows (a crash, a zone restart) are destroyed through the ledger, first of all now.
  const sweeper = o.db && itemStore ? new GroundSweeper(o.db, itemStore.catalogue, o.log, o.itemMetrics) : null;
  await sweeper?.start();
  // The anti-cheat answers through the gate, made just below (its host is only called once players play).
  let gate: Gate;
  const anticheat = new Anticheat<Connection>(
    cfg.anticheat,
    gateAnticheatHost(() => gate, o.anticheat?.ban),
    o.log,
    // A load generator's or fuzzer's guests share one address: counted, never banned by it.
    { metrics: o.anticheat?.metrics, exempt: (address) => cfg.gateLimits.exempt.has(address) },
  );
  gate = new Gate(cfg, o.world ?? null, o.gateMetrics ?? noGateMetrics, o.log, {
    contentHash: o.contentHash ?? content?.hash ?? '',
    classOf: classNumbers(content?.catalogue.classes.map((k) => k.id) ?? []),
    addresses,
    quests: content
      ? questsOf(content.catalogue, maps, o.db ?? null, (p, quest) => {
          const c = gate.connections.get(p.id);
          if (c) anticheat.report(c, 'quest_not_earned', 'coordinator', { quest });
        })
      : undefined,
    events: content ? (host) => new WorldEvents(content.catalogue, maps, announcingInChat(host, () => chatNow, o.log), o.log, Date.now()) : undefined,
    items: gateItems(
      itemStore,
      o.log,
      content?.catalogue.classes.map((k) => k.id),
      o.itemMetrics,
      (c, item) => anticheat.report(c, 'item_not_owned', 'coordinator', { item }),
      (service) => (itemService = service),
    ),
    resumeClock: o.resumeClock,
    banned: o.bans ? (accountId, address) => o.bans!.refusal(accountId, address) : undefined,
  });
  for (const zone of supervisor.zones) gate.attachZone(zone);
  watchCellViolations(gate.zoneLinks, gate.connections, anticheat);
  gate.violations = gateViolations(anticheat);
  const chat = new ChatService(cfg.chat, chatHostOf(gate), o.log, { metrics: o.chatMetrics, mute: o.mute, flood: (c) => anticheat.report(c, 'chat_flood') });
  gate.chat = chat;
  chatNow = chat;
  supervisor.on('health', (h: { zone: string; cell: number; health: string }) => {
    if (h.health !== 'running') o.log.warn(h, 'cell health changed');
  });
  supervisor.on('zoneDown', (zone: ZoneHandle) => {
    recoverZone(gate, supervisor, zone, o.log).catch((err: unknown) => {
      o.log.error({ err, zone: zone.spec.name }, 'zone recovery failed; the zone stays down');
    });
  });
  const server = createHttpServer({
    handlers: [
      healthHandler(() => supervisor.isReady()),
      ...(content ? [contentRoute({ hash: content.hash, clientDir: content.clientDir })] : []),
      ...(o.clientDir ? [clientRoute({ dir: o.clientDir })] : []),
      worldStatusRoute({ events: () => gate.parts.events?.status() ?? [], online: () => gate.playerCount }),
      ...(o.handlers ?? []),
    ],
    upgrade: (req, socket, head) => gate.handleUpgrade(req, socket, head),
    log: o.log,
    limits: cfg.http,
    tls,
    addresses,
    metrics: o.httpMetrics,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    tls: tls !== undefined,
    gate,
    chat,
    anticheat,
    items: itemStore && itemService ? { store: itemStore, service: itemService } : null,
    supervisor,
    contentHash: content?.hash,
    close() {
      closing ??= (async () => {
        server.close();
        await gate.shutdown();
        await sweeper?.stop();
        await supervisor.stop();
        server.closeAllConnections();
      })();
      return closing;
    },
  };
}

/**
 * The content class number a character of account class `classId` plays:
 * the same number, as the account API offers the content's classes
 * (accounts/classes.ts); 0, which the cell takes as the content's first
 * class, for guests and for a number the content does not have (a
 * character made under other content).
 */
export function classNumbers(contentClassIds: readonly string[]): (classId: number) => number {
  const count = contentClassIds.length;
  return (classId) => (Number.isInteger(classId) && classId >= 1 && classId <= count ? classId : 0);
}

/** A zone's cell options with `extra` added (its system modules after the zone's own). */
function withCellOptions(cell: ZoneLaunch['cell'], extra: Pick<CellOptions, 'systemModules' | 'faultFlags'>): ZoneLaunch['cell'] {
  return { ...cell, ...extra, systemModules: [...(cell?.systemModules ?? []), ...(extra.systemModules ?? [])] };
}
