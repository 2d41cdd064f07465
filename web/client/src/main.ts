import 'pixi.js/unsafe-eval';
import { Application, Assets } from 'pixi.js';
import '@pixi/tilemap';
import './style.css';
import { Content, ContentError } from './content/loader.ts';
import { installDebugHook } from './debug.ts';
import { Game } from './game.ts';
import { Hud } from './hud/hud.ts';
import type { Login, SocketLike } from './net/session.ts';

/**
 * The page's entry: picks how to log in (a character of the account page's
 * session, or a guest), loads the content, starts PixiJS and the game.
 *
 * - `/client/?character=ID`: plays character ID with the session token the
 *   account page keeps in this tab's sessionStorage (`tessera.token`).
 * - `/client/?guest=NAME`: plays as guest NAME at once.
 * - `/client/`: asks for a guest name first.
 * - `debug=1` (or localStorage `tessera.debug` = 1) installs window.__tessera
 *   for the acceptance tests.
 */
const params = new URLSearchParams(location.search);
const hud = new Hud();
let game: Game | null = null;

function randomGuestName(): string {
  return `Wanderer${Math.floor(1000 + Math.random() * 9000)}`;
}

/** The name of the account's character `id`, from the account API (the token is the account page's). */
async function characterName(token: string, id: number): Promise<string | undefined> {
  try {
    const res = await fetch('/api/characters', { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { characters: { id: number; name: string }[] };
    return body.characters.find((c) => c.id === id)?.name;
  } catch {
    return undefined;
  }
}

/** How to log in: from the URL, or from the start dialog. */
async function chooseLogin(): Promise<{ login: Login; name: string }> {
  const character = params.get('character');
  if (character !== null) {
    const id = Number(character);
    const token = sessionStorage.getItem('tessera.token');
    if (Number.isInteger(id) && id > 0 && token) return { login: { kind: 'token', token, characterId: id }, name: (await characterName(token, id)) ?? 'You' };
    document.getElementById('start-note')!.textContent = token
      ? 'That character link is not valid. Choose a character on the account page, or play as a guest.'
      : 'To play a character, log in on the account page in this tab first. Or play as a guest:';
  }
  const guest = params.get('guest');
  if (guest !== null && guest.trim() !== '') return { login: { kind: 'guest', name: guest.trim() }, name: guest.trim() };
  const dialog = document.getElementById('start')!;
  const form = document.getElementById('start-form') as HTMLFormElement;
  const input = document.getElementById('guest-name') as HTMLInputElement;
  input.value = localStorage.getItem('tessera.guestName') ?? randomGuestName();
  dialog.hidden = false;
  hud.setLoading(null);
  input.focus();
  input.select();
  return new Promise((resolve) => {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const name = input.value.trim();
      if (name === '') return;
      localStorage.setItem('tessera.guestName', name);
      dialog.hidden = true;
      resolve({ login: { kind: 'guest', name }, name });
    });
  });
}

async function main(): Promise<void> {
  hud.setLoading('Loading…');
  const [{ login, name }, content] = await Promise.all([chooseLogin(), Content.load()]);
  hud.setLoading('Starting…');
  const app = new Application();
  await app.init({
    resizeTo: window,
    background: '#101010',
    antialias: false,
    autoDensity: true,
    resolution: Math.min(2, window.devicePixelRatio || 1),
    roundPixels: true,
    preference: 'webgl',
    // Workers would be started from blob: URLs, which the page's Content-Security-Policy refuses.
    preferWorkers: false,
  } as Parameters<Application['init']>[0]);
  Assets.setPreferences({ preferWorkers: false });
  const canvas = app.canvas;
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-label', 'Game world: WASD or arrow keys to walk, click to walk to a spot, ? for help');
  document.getElementById('stage')!.append(canvas);
  canvas.focus();
  if (params.get('debug') === '1' || localStorage.getItem('tessera.debug') === '1') installDebugHook(app, () => game);
  const connect = (): SocketLike => new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/play`) as unknown as SocketLike;
  game = new Game({ app, content, hud, login, name, connect, restart: () => location.reload() });
}

main().catch((err: unknown) => {
  console.error(err);
  hud.setLoading(null);
  hud.showClosed(
    {
      title: err instanceof ContentError ? 'The world could not be loaded' : 'The client failed to start',
      detail: err instanceof Error ? err.message : String(err),
      retry: true,
    },
    () => location.reload(),
  );
});
