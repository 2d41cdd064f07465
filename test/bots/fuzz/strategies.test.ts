/**
 * The fuzzer's own checks, against stand-in servers that misbehave: one
 * that cuts sockets without a close frame, one that never closes, one
 * that closes with a code the strategy does not expect. Each must be seen.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { expected, pickStrategy, runConnection, STRATEGIES, type Strategy } from '../../../src/bots/fuzz/strategies.ts';
import { mulberry32 } from '../../../src/shared/random.ts';

const byName = (name: string): Strategy => STRATEGIES.find((s) => s.name === name)!;

describe('fuzz strategies', () => {
  let wss: WebSocketServer | undefined;
  afterEach(async () => {
    await new Promise((r) => wss?.close(r) ?? r(undefined));
    wss = undefined;
  });

  async function standIn(onMessage: (ws: import('ws').WebSocket) => void): Promise<string> {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    wss.on('connection', (ws) => ws.on('message', () => onMessage(ws)));
    await new Promise((r) => wss!.once('listening', r));
    return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/play`;
  }

  const ctx = (url: string) => ({ url, rnd: mulberry32(5), localAddress: undefined, handshakeTimeoutMs: 500 });

  it('accepts the close a strategy expects', async () => {
    const url = await standIn((ws) => ws.close(4000, 'bad'));
    const o = await runConnection(byName('mutated'), 5, ctx(url));
    expect(o).toMatchObject({ end: 'closed', code: 4000 });
    expect(expected(byName('mutated'), o)).toBe(true);
    expect(o.frames.length).toBeGreaterThan(1);
  });

  it('catches a socket cut without a close frame (1006)', async () => {
    const url = await standIn((ws) => ws.terminate());
    const o = await runConnection(byName('mutated'), 5, ctx(url));
    expect(o).toMatchObject({ end: 'closed', code: 1006 });
    expect(expected(byName('mutated'), o)).toBe(false);
  });

  it('catches a wrong close code, and a server that never closes', async () => {
    const url = await standIn((ws) => ws.close(4004, 'wrong'));
    const o = await runConnection(byName('oversize'), 5, ctx(url));
    expect(o.code).toBe(4004);
    expect(expected(byName('oversize'), o)).toBe(false);
    await new Promise((r) => wss!.close(r));
    const quiet = await standIn(() => {});
    const hung = await runConnection({ ...byName('mutated'), waitMs: () => 300 }, 5, ctx(quiet));
    expect(hung.end).toBe('hung');
    expect(expected(byName('mutated'), hung)).toBe(false);
  });

  it('picks every strategy in a few hundred draws', () => {
    const rnd = mulberry32(1);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(pickStrategy(rnd).name);
    expect(seen.size).toBe(STRATEGIES.length + 1);
  });
});
