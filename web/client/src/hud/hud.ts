import type { Told } from '../net/messages.ts';

/**
 * The HTML layer over the canvas: player frame with health, the zone's
 * name, the minimap, the connection status with its round trip, toasts for
 * notices, the controls help and the dialog a closed connection shows. Plain
 * DOM, so screen readers and the keyboard reach all of it.
 */
const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page lacks #${id}`);
  return el as T;
};

export type ConnectionStatus = 'connecting' | 'online' | 'lagging' | 'offline' | 'reconnecting';

export class Hud {
  private readonly hpFill = $('hp-fill');
  private readonly hpMeter = $('hp');
  private readonly hpText = $('hp-text');
  private readonly nameEl = $('player-name');
  private readonly levelEl = $('player-level');
  private readonly zoneEl = $('zone-name');
  private readonly banner = $('zone-banner');
  private readonly conn = $('conn');
  private readonly connText = $('conn-text');
  private readonly toasts = $('toasts');
  private readonly overlay = $('overlay');
  private readonly loading = $('loading');
  private shownHp = -1;
  private shownMax = -1;
  private bannerTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const help = $('help');
    const button = $<HTMLButtonElement>('help-button');
    const toggle = (open: boolean) => {
      help.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      if (open) $('help-close').focus();
      else button.focus();
    };
    button.addEventListener('click', () => toggle(help.hidden !== false));
    $('help-close').addEventListener('click', () => toggle(false));
    window.addEventListener('keydown', (e) => {
      if (e.key === '?' || (e.key === 'F1' && !e.repeat)) {
        e.preventDefault();
        toggle(help.hidden !== false);
      } else if (e.key === 'Escape' && !help.hidden) toggle(false);
    });
  }

  setPlayer(name: string, level: number): void {
    this.nameEl.textContent = name;
    this.levelEl.textContent = level > 0 ? `Level ${level}` : '';
  }

  setHealth(hp: number, maxHp: number): void {
    if (hp === this.shownHp && maxHp === this.shownMax) return;
    this.shownHp = hp;
    this.shownMax = maxHp;
    const f = maxHp > 0 ? Math.max(0, Math.min(1, hp / maxHp)) : 0;
    this.hpFill.style.width = `${(f * 100).toFixed(1)}%`;
    this.hpFill.dataset.level = f > 0.5 ? 'high' : f > 0.25 ? 'mid' : 'low';
    this.hpText.textContent = `${hp} / ${maxHp}`;
    this.hpMeter.setAttribute('aria-valuenow', String(hp));
    this.hpMeter.setAttribute('aria-valuemax', String(maxHp));
    this.hpMeter.setAttribute('aria-valuetext', `${hp} of ${maxHp} health`);
  }

  /** The zone's name in the top bar, and announced over the screen for a moment. */
  setZone(title: string): void {
    this.zoneEl.textContent = title;
    this.banner.textContent = title;
    this.banner.classList.remove('show');
    void this.banner.offsetWidth; // restart the fade
    this.banner.classList.add('show');
    clearTimeout(this.bannerTimer);
    this.bannerTimer = setTimeout(() => this.banner.classList.remove('show'), 3000);
  }

  setConnection(status: ConnectionStatus, rttMs?: number): void {
    this.conn.dataset.status = status;
    const rtt = rttMs === undefined ? '' : ` · ${Math.round(rttMs)} ms`;
    this.connText.textContent =
      status === 'connecting' ? 'Connecting…' : status === 'online' ? `Connected${rtt}` : status === 'lagging' ? `Lagging${rtt}` : status === 'reconnecting' ? 'Reconnecting…' : 'Disconnected';
  }

  toast(t: Told, kind: 'info' | 'warn' = 'info'): void {
    const el = document.createElement('div');
    el.className = `toast ${kind}`;
    const h = document.createElement('strong');
    h.textContent = t.title;
    const p = document.createElement('span');
    p.textContent = t.detail;
    el.append(h, p);
    this.toasts.append(el);
    setTimeout(() => el.remove(), 8000);
  }

  setLoading(text: string | null): void {
    this.loading.hidden = text === null;
    if (text !== null) this.loading.textContent = text;
  }

  /** The dialog of a session that ended; `retry` connects again. */
  showClosed(t: Told, retry: () => void): void {
    $('overlay-title').textContent = t.title;
    $('overlay-detail').textContent = t.detail;
    const again = $<HTMLButtonElement>('overlay-retry');
    again.hidden = !t.retry;
    again.onclick = () => {
      this.overlay.hidden = true;
      retry();
    };
    this.overlay.hidden = false;
    (t.retry ? again : $('overlay-account')).focus();
  }
}
