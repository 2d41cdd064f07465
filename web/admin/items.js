// The console's item section (admins): a character's items as the ledger
// has them, and a form that grants or removes items through
// /api/admin/characters/:id/items (docs/operations.md, "Items"). The
// character is the player selected in the live list, or one found by name
// (offline ones too: they see the change at their next login).
const $ = (id) => document.getElementById(id);

/**
 * Wires the section. `api(method, path, body)` is the console's fetch,
 * `reason()` the audit reason typed above, `say(text)` the status line,
 * `changed()` refreshes the audit log.
 */
export function itemSection({ api, reason, say, changed }) {
  let character = null; // { id, name }

  function show(list) {
    $('items-list').replaceChildren(...list.map((it) => {
      const li = document.createElement('li');
      li.textContent = `${it.item} × ${it.count} (${it.container} slot ${it.slot})`;
      return li;
    }));
    if (list.length === 0) {
      const li = document.createElement('li');
      li.textContent = 'Carries nothing.';
      $('items-list').replaceChildren(li);
    }
  }

  async function load() {
    if (!character) return;
    const r = await api('GET', `/api/admin/characters/${character.id}/items`);
    if (!r.ok) {
      $('items-error').textContent = r.error.message;
      return;
    }
    $('items-name').textContent = `${r.data.name} (character ${r.data.characterId}, ${r.data.online ? 'in the world' : 'offline'}, ${r.data.gold} gold)`;
    show(r.data.items);
  }

  /** Makes `id` (a character id; 0 for a guest) the section's character. */
  function choose(id, name) {
    $('items-error').textContent = '';
    character = id ? { id, name } : null;
    $('item-grant').disabled = !character;
    $('item-remove').disabled = !character;
    if (!character) {
      $('items-name').textContent = `no character (${name} is a guest)`;
      $('items-list').replaceChildren();
      return;
    }
    $('items-name').textContent = name;
    void load();
  }

  async function change(remove) {
    $('items-error').textContent = '';
    const body = { item: $('item-id').value.trim(), count: Number($('item-count').value), reason: reason() };
    const path = `/api/admin/characters/${character.id}/items${remove ? '/remove' : ''}`;
    const r = await api('POST', path, body);
    if (!r.ok) {
      $('items-error').textContent = r.error.message;
      return;
    }
    say(`${remove ? 'Removed' : 'Granted'} ${r.data.count} × ${r.data.item} ${remove ? 'from' : 'to'} ${r.data.name}${r.data.online ? '' : ' (offline: seen at the next login)'}.`);
    await load();
    changed();
  }

  $('item-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void change(false);
  });
  $('item-remove').addEventListener('click', () => void change(true));

  $('items-find-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('items-error').textContent = '';
    const name = $('items-find').value.trim();
    const r = name ? await api('GET', `/api/admin/find?${new URLSearchParams({ q: name })}`) : { ok: false, error: { message: 'Type a character name.' } };
    if (!r.ok) {
      $('items-error').textContent = r.error.message;
      return;
    }
    const found = r.data.characters.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!found) $('items-error').textContent = `No character named ${name}.`;
    else choose(found.id, found.name);
  });

  return {
    choose,
    /** Once signed in as an admin: the content's item ids for the form's suggestions. */
    async signedIn() {
      const r = await api('GET', '/api/admin/items');
      if (!r.ok) {
        $('items-error').textContent = r.error.message;
        return;
      }
      $('item-ids').replaceChildren(...r.data.items.map((it) => new Option(`${it.kind}, stacks of ${it.stackSize}`, it.id)));
      $('item-count').max = String(r.data.maxCount);
    },
  };
}
