// Account page: plain DOM, no framework. Talks to /api (docs/api.md); the
// session token lives in sessionStorage so the browser client can use it.
// The classes a character may be: the server's content (GET /api/classes), filled in at start.
const CLASSES = {};
const APPEARANCE_MAX = { body: 3, hair: 7, color: 7 };
const $ = (id) => document.getElementById(id);
const main = $('main');
const playUrl = main.dataset.playUrl || '/client/?character={id}';

let token = sessionStorage.getItem('tessera.token');
let username = sessionStorage.getItem('tessera.username');

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, error: { code: 'network', message: 'Cannot reach the server. Check your connection and try again.' } };
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.ok) return { ok: true, status: res.status, data: json };
  if (res.status === 401 && token && path !== '/api/sessions') signedOut('Your session has expired. Please log in again.');
  return { ok: false, status: res.status, error: json?.error ?? { code: 'http', message: `Error ${res.status}` } };
}

function say(text) {
  $('status').textContent = text;
}

/** Shows a form's error next to it and marks the named field invalid. */
function formError(form, errorEl, err) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  errorEl.textContent = err ? err.message : '';
  if (!err?.field) return;
  const input = form.elements.namedItem(err.field.split('.').pop());
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-errormessage', errorEl.id);
    input.focus();
  }
}

function signedOut(message) {
  token = null;
  username = null;
  sessionStorage.removeItem('tessera.token');
  sessionStorage.removeItem('tessera.username');
  $('signed-in').hidden = true;
  $('who').hidden = true;
  $('signed-out').hidden = false;
  say(message ?? '');
}

async function signedIn() {
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  $('who').hidden = false;
  $('who-name').textContent = username ?? '';
  await refresh();
}

async function refresh() {
  const r = await api('GET', '/api/characters');
  if (!r.ok) return say(r.error.message);
  const list = $('chars');
  list.replaceChildren();
  for (const c of r.data.characters) {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = c.name;
    const info = document.createElement('span');
    info.textContent = `${CLASSES[c.classId] ?? 'Class ' + c.classId}, level ${c.level}, in ${c.zone}`;
    const play = document.createElement('a');
    play.href = playUrl.replace('{id}', encodeURIComponent(c.id));
    play.textContent = 'Play';
    play.setAttribute('aria-label', `Play ${c.name}`);
    const del = document.createElement('button');
    del.type = 'button';
    del.className = 'secondary';
    del.textContent = 'Delete';
    del.setAttribute('aria-label', `Delete ${c.name}`);
    del.addEventListener('click', () => remove(c));
    li.append(name, info, play, del);
    list.append(li);
  }
  $('chars-empty').hidden = r.data.characters.length > 0;
}

async function remove(c) {
  if (!window.confirm(`Delete ${c.name}? This cannot be undone.`)) return;
  const r = await api('DELETE', `/api/characters/${c.id}`);
  say(r.ok ? `${c.name} was deleted.` : r.error.message);
  await refresh();
  $('chars-h').focus?.();
}

async function login(user, password) {
  const r = await api('POST', '/api/sessions', { username: user, password });
  if (!r.ok) return r.error;
  token = r.data.token;
  username = user.toLowerCase();
  sessionStorage.setItem('tessera.token', token);
  sessionStorage.setItem('tessera.username', username);
  say(`Logged in as ${username}.`);
  await signedIn();
  return undefined;
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.currentTarget;
  const err = await login(f.elements.username.value, f.elements.password.value);
  formError(f, $('login-error'), err);
  if (!err) f.reset();
});

$('register-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.currentTarget;
  const user = f.elements.username.value;
  const password = f.elements.password.value;
  const r = await api('POST', '/api/accounts', { username: user, password });
  if (!r.ok) return formError(f, $('register-error'), r.error);
  formError(f, $('register-error'), undefined);
  f.reset();
  const err = await login(user, password);
  if (err) say(`Account created, but logging in failed: ${err.message}`);
  else say(`Account ${user.toLowerCase()} created. You are logged in.`);
});

$('create-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const f = e.currentTarget;
  const body = {
    name: f.elements.name.value,
    classId: Number(f.elements.classId.value),
    appearance: { body: Number(f.elements.body.value), hair: Number(f.elements.hair.value), color: Number(f.elements.color.value) },
  };
  const r = await api('POST', '/api/characters', body);
  if (!r.ok) return formError(f, $('create-error'), r.error);
  formError(f, $('create-error'), undefined);
  f.reset();
  say(`${r.data.character.name} was created.`);
  await refresh();
});

$('logout').addEventListener('click', async () => {
  await api('DELETE', '/api/sessions');
  signedOut('You are logged out.');
  $('login-username').focus();
});

for (const [field, max] of Object.entries(APPEARANCE_MAX)) {
  const sel = $(`create-${field}`);
  for (let i = 0; i <= max; i++) sel.append(new Option(String(i + 1), String(i)));
}
$('chars-h').tabIndex = -1;

/** The world section: players online and the world events (GET /api/world), refreshed every 30 s. */
async function world() {
  const r = await api('GET', '/api/world');
  if (!r.ok) {
    $('world-online').textContent = 'The world status is unavailable right now.';
    return;
  }
  $('world-online').textContent = `${r.data.online} ${r.data.online === 1 ? 'player' : 'players'} online.`;
  const list = $('world-events');
  list.replaceChildren(
    ...r.data.events.map((e) => {
      const li = document.createElement('li');
      const when = new Date(e.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      li.textContent = e.running ? `${e.name} is under way in ${e.zone} until ${when}.` : `${e.name} (${e.zone}) begins at ${when}.`;
      return li;
    }),
  );
}
world();
setInterval(world, 30_000);
// The class list comes from the server's content; the page's own options stay if it cannot be read.
api('GET', '/api/classes').then((r) => {
  if (!r.ok || !Array.isArray(r.data.classes) || r.data.classes.length === 0) return;
  const sel = $('create-class');
  sel.replaceChildren();
  for (const k of r.data.classes) {
    CLASSES[k.id] = k.name;
    sel.append(new Option(k.name, String(k.id)));
  }
  if (token) refresh();
});

if (token) signedIn();
else signedOut();
