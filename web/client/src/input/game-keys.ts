/** What the world's own keys do (combat keys live in combat/combat-keys.ts). */
export interface GameKeyActions {
  /** E: speak with the selected or nearest NPC. */
  interact(): void;
  /** L: the quest log. */
  toggleLog(): void;
  /** + / -: the camera's zoom, by a step. */
  zoom(step: number): void;
}

/** Binds E, L, + and - on the page, except while the player types in a text field (chat). */
export function bindGameKeys(a: GameKeyActions): void {
  window.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && t.tagName === 'INPUT') return;
    if (e.key === 'e' || e.key === 'E') a.interact();
    else if (e.key === 'l' || e.key === 'L') a.toggleLog();
    else if (e.key === '+' || e.key === '=') a.zoom(0.5);
    else if (e.key === '-' || e.key === '_') a.zoom(-0.5);
  });
}
