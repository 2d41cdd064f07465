import { ErrorCode, ProtocolError } from './errors.ts';
import { ClientOp, ServerOp } from './opcodes.ts';
import { MAX_LOG_ENTRIES, QuestAction, QuestRefusal, QuestState, type QuestActionValue, type QuestRefusalValue, type QuestStateValue } from './quest-codes.ts';
import type { Reader } from './reader.ts';
import { Writer } from './writer.ts';

/**
 * The quest messages (quest-codes.ts for the codes):
 *
 * - QUEST, client → server: u8 op | u8 action (QuestAction) | u16 quest | u32 npc (an entity handle; 0 for ABANDON)
 * - QUEST_RESULT, server → client: u8 op | u8 action | u16 quest | u8 reason (QuestRefusal, 0: done)
 * - QUEST_LOG, server → client: u8 op | u8 full (1: the whole log, replacing the client's; 0: these quests changed)
 *   | u16 n | n × (u16 quest | u8 state (QuestState) | u16 completions | u8 m | m × u16 count)
 *
 * Quests are numbered from 0 in the content's quests.json order; the client
 * reads names, objectives and givers from the content it loaded (/content/).
 */

export interface QuestMessage {
  op: 'quest';
  action: QuestActionValue;
  quest: number;
  npc: number;
}

export interface QuestResultMessage {
  op: 'questResult';
  action: QuestActionValue;
  quest: number;
  reason: QuestRefusalValue;
}

export interface QuestLogEntry {
  quest: number;
  state: QuestStateValue;
  completions: number;
  /** Per objective, the count so far (empty when not active). */
  counts: number[];
}

export interface QuestLogMessage {
  op: 'questLog';
  /** The whole log (replace), or only the quests that changed. */
  full: boolean;
  entries: QuestLogEntry[];
}

/** Largest count an objective carries on the wire. */
const MAX_COUNT = 0xffff;
const MAX_OBJECTIVES_ON_WIRE = 8;

const w = new Writer();

export function encodeQuest(m: Omit<QuestMessage, 'op'>): Uint8Array {
  const out = new Uint8Array(8);
  w.reset(out);
  w.u8(ClientOp.QUEST);
  w.u8(m.action);
  w.u16(m.quest);
  w.u32(m.npc >>> 0);
  return out;
}

/** The body of a QUEST after its opcode. */
export function readQuest(r: Reader): QuestMessage {
  const action = r.u8();
  if (action < QuestAction.ACCEPT || action > QuestAction.TALK) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown quest action ${action}`);
  const quest = r.u16();
  const npc = r.u32();
  if (action !== QuestAction.ABANDON && npc === 0) throw new ProtocolError(ErrorCode.BAD_VALUE, 'quest action needs an NPC');
  return { op: 'quest', action: action as QuestActionValue, quest, npc };
}

export function encodeQuestResult(action: number, quest: number, reason: number): Uint8Array {
  const out = new Uint8Array(5);
  w.reset(out);
  w.u8(ServerOp.QUEST_RESULT);
  w.u8(action);
  w.u16(quest);
  w.u8(reason);
  return out;
}

const knownReasons = new Set<number>(Object.values(QuestRefusal));

export function readQuestResult(r: Reader): QuestResultMessage {
  const action = r.u8();
  if (action < QuestAction.ACCEPT || action > QuestAction.TALK) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown quest action ${action}`);
  const quest = r.u16();
  const reason = r.u8();
  if (!knownReasons.has(reason)) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown quest refusal ${reason}`);
  return { op: 'questResult', action: action as QuestActionValue, quest, reason: reason as QuestRefusalValue };
}

export function encodeQuestLog(full: boolean, entries: readonly QuestLogEntry[]): Uint8Array {
  if (entries.length > MAX_LOG_ENTRIES) throw new RangeError(`${entries.length} quest log entries; at most ${MAX_LOG_ENTRIES}`);
  let size = 4;
  for (const e of entries) {
    if (e.counts.length > MAX_OBJECTIVES_ON_WIRE) throw new RangeError(`quest ${e.quest}: ${e.counts.length} objectives; at most ${MAX_OBJECTIVES_ON_WIRE}`);
    size += 6 + 2 * e.counts.length;
  }
  const out = new Uint8Array(size);
  w.reset(out);
  w.u8(ServerOp.QUEST_LOG);
  w.u8(full ? 1 : 0);
  w.u16(entries.length);
  for (const e of entries) {
    w.u16(e.quest);
    w.u8(e.state);
    w.u16(Math.min(e.completions, 0xffff));
    w.u8(e.counts.length);
    for (const c of e.counts) w.u16(Math.min(c, MAX_COUNT));
  }
  return out;
}

export function readQuestLog(r: Reader): QuestLogMessage {
  const full = r.u8();
  if (full > 1) throw new ProtocolError(ErrorCode.BAD_VALUE, `quest log flag ${full}`);
  const n = r.u16();
  if (n > MAX_LOG_ENTRIES) throw new ProtocolError(ErrorCode.BAD_VALUE, `${n} quest log entries; at most ${MAX_LOG_ENTRIES}`);
  const entries: QuestLogEntry[] = [];
  for (let i = 0; i < n; i++) {
    const quest = r.u16();
    const state = r.u8();
    if (state > QuestState.DONE) throw new ProtocolError(ErrorCode.BAD_VALUE, `unknown quest state ${state}`);
    const completions = r.u16();
    const m = r.u8();
    if (m > MAX_OBJECTIVES_ON_WIRE) throw new ProtocolError(ErrorCode.BAD_VALUE, `${m} objectives; at most ${MAX_OBJECTIVES_ON_WIRE}`);
    const counts: number[] = [];
    for (let j = 0; j < m; j++) counts.push(r.u16());
    entries.push({ quest, state: state as QuestStateValue, completions, counts });
  }
  return { op: 'questLog', full: full === 1, entries };
}
