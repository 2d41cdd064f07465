import type { CombatController } from './combat-controller.ts';
import { Hotbar } from './hotbar.ts';

/**
 * The fight's keys: Tab / Shift+Tab target the next enemy and Escape
 * clears the target (while the game has the focus: elsewhere Tab moves the
 * focus, as it should), 1-9 the hotbar, F auto-attack, R respawn (when
 * dead), F6 moves the focus between the game and the skill bar.
 */
export function bindCombatKeys(canvas: HTMLElement, c: CombatController): void {
  window.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const onGame = t === canvas || t === document.body || t === null;
    if (e.key === 'F6') {
      e.preventDefault();
      if (onGame) c.hud.focusHotbar();
      else canvas.focus();
      return;
    }
    if (e.key === 'Tab') {
      if (!onGame) return;
      e.preventDefault();
      if (!e.repeat) c.cycleTarget(e.shiftKey);
      return;
    }
    if (e.key === 'Escape') {
      // A panel's Escape returns to the game first (the help dialog handles its own).
      if (!onGame) {
        if (t?.closest('.hotbar')) canvas.focus();
        return;
      }
      c.escape();
      return;
    }
    if (e.repeat) return;
    const slot = Hotbar.slotOfKey(e.key);
    if (slot >= 0) {
      e.preventDefault();
      c.useSlot(slot);
    } else if (e.code === 'KeyF') c.toggleAttack();
    else if (e.code === 'KeyR' && c.hud.deathShown) c.respawn();
  });
}
