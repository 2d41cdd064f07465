/** What the world's own keys do (combat keys live in combat/combat-keys.ts). */
export interface GameKeyActions {
  /** E: speak with the selected or nearest NPC. */
  interact(): void;
  /** L: the quest log. */
  toggleLog(): void;
  /** I: the bags; C: the character panel; G: pick up the nearest loot. */
  toggleBag(): void;
  toggleCharacter(): void;
  pickUp(): void;
  /** + / -: the camera's zoom, by a step. */
  zoom(step: number): void;
}

/** Binds E, L, I, C, G, + and - on the page, except while the player types in a text field (chat). */
export function bindGameKeys(a: GameKeyActions): void {
  window.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && t.tagName === 'INPUT') return;
    if (e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
    const k = e.key.length === 1 ? e.key.toLowerCase() : e.key;
    if (k === 'e') a.interact();
    else if (k === 'l') a.toggleLog();
    else if (k === 'i') a.toggleBag();
    else if (k === 'c') a.toggleCharacter();
    else if (k === 'g') a.pickUp();
    else if (e.key === '+' || e.key === '=') a.zoom(0.5);
    else if (e.key === '-' || e.key === '_') a.zoom(-0.5);
  });
}
