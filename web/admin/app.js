// Operator console: plain DOM, no framework. Talks to /api/sessions (log in)
// and /api/admin/ (docs/operations.md). One GET /api/admin/live at a time,
// every POLL_MS while the tab is visible: the next poll waits for the last answer.
const POLL_MS = 400;
const AUDIT_EVERY_MS = 5000;
import { itemSection } from './items.js';

const $ = (id) => document.getElementById(id);

let token = sessionStorage.getItem('tessera.admin.token');
let me = null;
let target = null; // { conn, name, characterId }
let polling = false;
let lastAudit = 0;

async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    return { ok: false, status: 0, error: { message: 'Cannot reach the server.' } };
  }
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (res.ok) return { ok: true, status: res.status, data: json };
  if (res.status === 401 && token && path !== '/api/sessions') signedOut('Your session has expired. Please log in again.');
  return { ok: false, status: res.status, error: json?.error ?? { message: `Error ${res.status}` } };
}

const say = (text) => { $('status').textContent = text; };

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function signedOut(message) {
  token = null;
  me = null;
  polling = false;
  sessionStorage.removeItem('tessera.admin.token');
  $('signed-in').hidden = true;
  $('who').hidden = true;
  $('signed-out').hidden = false;
  say(message ?? '');
}

async function signedIn() {
  const r = await api('GET', '/api/admin/me');
  if (!r.ok) {
    signedOut(r.status === 403 ? 'This account is not a moderator or admin.' : r.error.message);
    return;
  }
  me = r.data;
  $('who-name').textContent = me.username;
  $('who-role').textContent = me.role;
  document.body.classList.toggle('is-admin', me.role === 'admin');
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  $('who').hidden = false;
  if (!polling) {
    polling = true;
    void poll();
  }
  void refreshLists();
  if (me.role === 'admin') void items.signedIn();
}

// ---- live view --------------------------------------------------------------

async function poll() {
  while (polling) {
    if (!document.hidden) {
      const q = new URLSearchParams({ limit: '100' });
      const name = $('filter-name').value.trim();
      const zone = $('filter-zone').value;
      if (name) q.set('name', name);
      if (zone) q.set('zone', zone);
      const r = await api('GET', `/api/admin/live?${q}`);
      if (r.ok) render(r.data);
      if (Date.now() - lastAudit > AUDIT_EVERY_MS) void refreshLists();
    }
    await new Promise((res) => setTimeout(res, POLL_MS));
  }
}

/** Replaces a table body, keeping keyboard focus on the same row's button. */
function replaceRows(tbody, rows) {
  const focused = tbody.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
  tbody.replaceChildren(...rows);
  if (focused) tbody.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}

function render(v) {
  $('online').textContent = String(v.online);
  $('matched').textContent = v.matched > v.players.length ? `Showing ${v.players.length} of ${v.matched}; narrow the filter.` : '';
  syncZoneOptions(v.zones.map((z) => z.name));
  replaceRows($('zones').tBodies[0], v.zones.map(zoneRow));
  replaceRows($('players').tBodies[0], v.players.map(playerRow));
}

function zoneRow(z) {
  const tr = document.createElement('tr');
  const health = z.cells.map((c) => c.health);
  const bad = health.some((h) => h !== 'running') || z.lost;
  tr.append(
    cell(z.name),
    cell(String(z.players)),
    cell(`${z.cells.length} ${bad ? health.join(', ') : 'running'}`, bad ? 'bad' : ''),
    cell(`${z.tickP50Ms} / ${z.tickP99Ms}`),
    cell(Object.entries(z.entities).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')),
    cell(`${z.restarts} (${z.restartsLastMinute} in the last minute)`),
  );
  const td = document.createElement('td');
  if (me?.role === 'admin') {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = `Restart ${z.name}`;
    b.dataset.key = `restart-${z.name}`;
    b.addEventListener('click', () => restartZone(z.name));
    td.append(b);
  }
  tr.append(td);
  return tr;
}

function playerRow(p) {
  const tr = document.createElement('tr');
  if (target?.conn === p.conn) tr.className = 'selected';
  tr.append(
    cell(p.name),
    cell(`${p.zone} / ${p.cell}`),
    cell(p.x === null ? p.phase : `${p.x.toFixed(1)}, ${p.y.toFixed(1)}`),
    cell(p.level === null ? '' : String(p.level)),
    cell(p.rttMs === null ? '–' : String(p.rttMs)),
    cell(`${(p.bytesIn / 1024).toFixed(1)} / ${(p.bytesOut / 1024).toFixed(1)}`),
    cell(String(p.ackLagTicks)),
  );
  const td = document.createElement('td');
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = `Select ${p.name}`;
  b.dataset.key = `select-${p.conn}`;
  b.setAttribute('aria-pressed', String(target?.conn === p.conn));
  b.addEventListener('click', () => select(p));
  td.append(b);
  tr.append(td);
  return tr;
}

function syncZoneOptions(names) {
  for (const id of ['filter-zone', 'announce-zone', 'tp-zone']) {
    const sel = $(id);
    const have = [...sel.options].map((o) => o.value).filter(Boolean);
    if (have.join() === names.join()) continue;
    const keep = sel.value;
    sel.replaceChildren(sel.options[0], ...names.map((n) => new Option(n, n)));
    sel.value = names.includes(keep) ? keep : '';
  }
}

function select(p) {
  target = { conn: p.conn, name: p.name, characterId: p.characterId };
  $('target-name').textContent = `${p.name} (connection ${p.conn}${p.characterId ? `, character ${p.characterId}` : ', guest'})`;
  for (const id of ['kick', 'teleport', 'teleport-to', 'mute', 'ban']) $(id).disabled = false;
  $('mute').disabled = !p.characterId;
  if (me?.role === 'admin') items.choose(p.characterId, p.name);
  $('act-reason').focus();
}

// ---- actions ----------------------------------------------------------------

function reason() {
  return $('act-reason').value.trim();
}

async function act(path, body, done) {
  $('act-error').textContent = '';
  const r = await api('POST', path, body);
  if (!r.ok) {
    $('act-error').textContent = r.error.message;
    return;
  }
  say(done(r.data));
  void refreshLists();
}

const items = itemSection({ api, reason, say, changed: () => void refreshLists() });

$('kick').addEventListener('click', () => act('/api/admin/kick', { conn: target.conn, reason: reason() }, () => `${target.name} was kicked.`));

$('teleport-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = { conn: target.conn, x: Number($('tp-x').value), y: Number($('tp-y').value), reason: reason() };
  if ($('tp-zone').value) body.zone = $('tp-zone').value;
  void act('/api/admin/teleport', body, (d) => `${target.name} was teleported to ${d.x.toFixed(1)}, ${d.y.toFixed(1)} in ${d.zone}.`);
});

$('teleport-to-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('tp-to').value.trim();
  const found = await api('GET', `/api/admin/find?${new URLSearchParams({ q: name })}`);
  const other = found.ok ? found.data.online.find((p) => p.name.toLowerCase() === name.toLowerCase()) : undefined;
  if (!other) {
    $('act-error').textContent = `Nobody named ${name} is online.`;
    return;
  }
  void act('/api/admin/teleport', { conn: target.conn, toConn: other.conn, reason: reason() }, () => `${target.name} was teleported to ${other.name}.`);
});

$('mute-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void act('/api/admin/mutes', { characterId: target.characterId, minutes: Number($('mute-minutes').value), reason: reason() }, (d) => `${d.name} is muted until ${new Date(d.untilMs).toLocaleString()}.`);
});

$('ban-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const body = { conn: target.conn, reason: reason() };
  if ($('ban-forever').checked) body.forGood = true;
  else body.minutes = Number($('ban-minutes').value);
  void act('/api/admin/bans', body, (d) => `Banned (${d.closed} connection(s) closed).`);
});

$('ban-address-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void act('/api/admin/bans', { address: $('ban-address').value.trim(), minutes: 1440, reason: reason() || 'banned from the console' }, () => 'Address banned for a day.');
});

$('announce-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('announce-error').textContent = '';
  const body = { message: $('announce-message').value };
  if ($('announce-zone').value) body.zone = $('announce-zone').value;
  const r = await api('POST', '/api/admin/announce', body);
  if (!r.ok) $('announce-error').textContent = r.error.message;
  else {
    say(`Announced to ${r.data.told} player(s).`);
    $('announce-message').value = '';
    void refreshLists();
  }
});

async function restartZone(name) {
  const why = reason();
  if (!window.confirm(`Restart zone ${name}? Its players stay connected and wait a moment.`)) return;
  const r = await api('POST', `/api/admin/zones/${encodeURIComponent(name)}/restart`, { reason: why });
  if (!r.ok) $('act-error').textContent = r.error.message;
  else say(`Zone ${name} is restarting.`);
  void refreshLists();
}

// ---- bans and audit ---------------------------------------------------------

async function refreshLists() {
  lastAudit = Date.now();
  const [audit, bans, roles] = await Promise.all([
    api('GET', '/api/admin/audit?limit=30'),
    api('GET', '/api/admin/bans'),
    me?.role === 'admin' ? api('GET', '/api/admin/roles') : Promise.resolve({ ok: false }),
  ]);
  if (roles.ok) {
    $('staff').replaceChildren(...roles.data.staff.map((a) => {
      const li = document.createElement('li');
      li.textContent = `${a.username}: ${a.role}`;
      return li;
    }));
  }
  if (audit.ok) {
    replaceRows($('audit').tBodies[0], audit.data.entries.map((a) => {
      const tr = document.createElement('tr');
      tr.append(cell(a.at.slice(0, 19).replace('T', ' ')), cell(a.actor), cell(a.action), cell(a.target), cell(a.reason));
      return tr;
    }));
  }
  if (bans.ok) {
    replaceRows($('bans'), bans.data.bans.map((b) => {
      const li = document.createElement('li');
      const what = b.username ? `account ${b.username}` : `address ${b.address}`;
      const until = b.untilMs === null ? 'for good' : `until ${new Date(b.untilMs).toLocaleString()}`;
      li.append(`${what}, ${until}: ${b.reason} `);
      if (me?.role === 'admin') {
        const lift = document.createElement('button');
        lift.type = 'button';
        lift.className = 'secondary';
        lift.textContent = `Lift ban on ${what}`;
        lift.dataset.key = `lift-${b.id}`;
        lift.addEventListener('click', () => act(`/api/admin/bans/${b.id}/lift`, { reason: reason() || 'lifted from the console' }, () => `Ban on ${what} lifted.`));
        li.append(lift);
      }
      return li;
    }));
  }
}

$('role-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('role-error').textContent = '';
  const username = $('role-username').value.trim();
  const role = $('role-role').value;
  const r = await api('POST', '/api/admin/roles', { username, role, reason: reason() || 'set in the console' });
  if (!r.ok) $('role-error').textContent = r.error.message;
  else say(`${r.data.username} is now ${r.data.role}.`);
  void refreshLists();
});

// ---- log in / out -----------------------------------------------------------

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  const r = await api('POST', '/api/sessions', { username: $('login-username').value, password: $('login-password').value });
  if (!r.ok) {
    $('login-error').textContent = r.error.message;
    return;
  }
  token = r.data.token;
  sessionStorage.setItem('tessera.admin.token', token);
  $('login-password').value = '';
  await signedIn();
  if (me) $('main').focus();
});

$('logout').addEventListener('click', async () => {
  await api('DELETE', '/api/sessions');
  signedOut('Logged out.');
});

$('filter-form').addEventListener('submit', (e) => e.preventDefault());

if (token) void signedIn();
else signedOut();
