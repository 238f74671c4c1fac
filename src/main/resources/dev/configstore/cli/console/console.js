// The configstore console: one page, views chosen by the address's #fragment, data from /api.
// Everything from the store is put on the page as text (textContent), never as markup.
'use strict';

const SECRET = '<secret>'; // what a secret reads as; the console never writes secrets
const state = { csrf: null, readOnly: true, head: 0, source: null, sourceDocument: null, editing: false,
  typed: false, rendering: null };

// ---- values, kept exact -------------------------------------------------------------------
// JSON.parse would turn 0.10 into 0.1 and a 20-digit integer into a rounded one; the reviver keeps
// each number's source text, so what the page shows and sends back is what the store holds.
class ExactNumber {
  constructor(source) { this.source = source; }
}

// Whether this browser gives a reviver each number's source text (not every browser does yet).
const EXACT = (() => {
  let exact = false;
  JSON.parse('0.10', (key, value, context) => { exact = !!context && context.source === '0.10'; return value; });
  return exact;
})();

function parseExact(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' && context && context.source !== undefined ? new ExactNumber(context.source) : value);
}

function jsonText(value) {
  if (value instanceof ExactNumber) return value.source;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(jsonText).join(',') + ']';
  return '{' + Object.keys(value).map(k => JSON.stringify(k) + ':' + jsonText(value[k])).join(',') + '}';
}

function cellText(value) {
  return value === null || value === undefined ? '' : jsonText(value);
}

function plain(value) {
  return value instanceof ExactNumber ? value.source : value === null || value === undefined ? '' : String(value);
}

// ---- the page's building blocks ------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'value') node.value = value;
    else if (name === 'checked') node.checked = true;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function table(columns, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, columns.map(c => el('th', {}, c)))), el('tbody', {}, rows));
}

function link(href, text, attrs) {
  return el('a', Object.assign({ href }, attrs || {}), text);
}

function notice(kind, ...content) {
  const box = document.getElementById('notice');
  box.className = 'notice ' + kind;
  box.replaceChildren(...content);
}

function clearNotice() {
  const box = document.getElementById('notice');
  box.className = 'notice';
  box.replaceChildren();
}

function setHead(revision) {
  state.head = Math.max(state.head, Number(revision));
  document.getElementById('head').textContent = 'revision ' + state.head;
}

// ---- the API --------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, body) {
    super(body && body.error ? body.error : 'HTTP ' + status);
    this.status = status;
    this.body = body;
  }
}

async function api(path, method, body) {
  const options = { method: method || 'GET', credentials: 'same-origin', headers: {} };
  if (options.method !== 'GET') {
    options.headers['X-Configstore-Csrf'] = state.csrf;
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body || {});
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const data = text ? parseExact(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, revision: response.headers.get('X-Configstore-Revision') };
}

function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

// ---- views ----------------------------------------------------------------------------------
async function documentsView(params) {
  const name = params.get('name') || 'current';
  const prefix = params.get('prefix') || '';
  const page = Number(params.get('page') || 0);
  const [list, explained] = await Promise.all([api('/api/documents'), api('/api/documents/' + encodeURIComponent(name) + '/explain')]);
  const shownRevision = Number(explained.revision);
  setHead(shownRevision);
  if (!list.data.some(doc => doc.name === 'current')) list.data.unshift({ name: 'current', extends: null });
  const parents = new Map(list.data.map(doc => [doc.name, doc.extends]));
  const chain = [name];
  for (let at = parents.get(name); at && !chain.includes(at); at = parents.get(at)) chain.push(at);
  const rows = explained.data.filter(row => row.key.startsWith(prefix));
  const size = 100;
  const shown = rows.slice(page * size, page * size + size);
  const sidebar = el('div', { class: 'sidebar' }, el('h2', {}, 'Documents'), list.data.map(doc =>
    el('div', {}, link('#/documents' + query({ name: doc.name }), doc.name, { class: doc.name === name ? 'active' : null }),
      doc.extends ? el('span', { class: 'parent' }, 'extends ' + doc.extends) : null)));
  const filter = el('input', { id: 'prefix', value: prefix, placeholder: 'key prefix', type: 'search' });
  const form = el('form', { class: 'filters', onsubmit: event => {
    event.preventDefault();
    location.hash = '#/documents' + query({ name, prefix: filter.value });
  } }, el('label', {}, 'Filter by key prefix', filter), el('button', { type: 'submit' }, 'Filter'));
  const body = shown.map(row => keyRow(name, row, shownRevision));
  const pager = el('div', { class: 'pager' },
    el('span', { class: 'muted', id: 'key-count' }, rows.length === 0 ? 'no keys' :
      'keys ' + (page * size + 1) + '–' + (page * size + shown.length) + ' of ' + rows.length),
    page > 0 ? link('#/documents' + query({ name, prefix, page: page - 1 }), '← previous', { id: 'keys-previous' }) : null,
    (page + 1) * size < rows.length ? link('#/documents' + query({ name, prefix, page: page + 1 }), 'next →', { id: 'keys-next' }) : null);
  const main = el('section', {},
    el('h2', {}, 'Document ' + name),
    el('div', { class: 'chain', id: 'chain' }, 'resolved through: ' + chain.join(' → ')),
    form, state.readOnly ? null : addKeyForm(name, shownRevision), pager,
    table(['key', 'value', 'from', 'revision', ''], body));
  subscribe(name);
  return el('div', { class: 'layout' }, sidebar, main);
}

function keyRow(documentName, row, shownRevision) {
  const valueCell = el('td', { class: 'value' }, cellText(row.value));
  const actions = el('td', {});
  const tr = el('tr', { 'data-key': row.key },
    el('td', { class: 'key' }, link('#/history' + query({ document: documentName, key: row.key }), row.key, { class: 'key-history' })),
    valueCell,
    el('td', {}, plain(row.from)),
    el('td', {}, link('#/diff' + query({ from: Number(plain(row.revision)) - 1, to: plain(row.revision), document: plain(row.from) }), plain(row.revision))),
    actions);
  if (!state.readOnly && row.value === SECRET) {
    actions.append(el('span', { class: 'muted', title: 'set secrets with: configstore set KEY VALUE --secret' }, 'secret'));
  } else if (!state.readOnly) {
    actions.append(el('button', { class: 'edit', onclick: () => editValue(documentName, row, valueCell, shownRevision) }, 'Edit'));
    if (plain(row.from) === documentName) {
      const unset = el('button', { class: 'unset danger', onclick: async () => {
        if (unset.dataset.armed !== 'yes') { unset.dataset.armed = 'yes'; unset.textContent = 'Confirm unset'; return; }
        await write(documentName, () => api('/api/documents/' + encodeURIComponent(documentName) + '/value'
          + query({ key: row.key, expect_revision: shownRevision }), 'DELETE'), shownRevision, 'unset ' + row.key);
      } }, 'Unset');
      actions.append(' ', unset);
    }
  }
  return tr;
}

async function editValue(documentName, row, cell, shownRevision) {
  state.editing = true;
  // the value as the server writes it: exact numbers and the members in their order, whatever the browser parses
  let text;
  try {
    const response = await fetch('/api/documents/' + encodeURIComponent(documentName) + '/value' + query({ key: row.key }),
      { credentials: 'same-origin' });
    if (!response.ok) throw new ApiError(response.status, parseExact(await response.text()));
    text = (await response.text()).replace(/\s*\n\s*/g, ' ');
  } catch (error) {
    state.editing = false;
    notice('error', el('span', { id: 'write-error' }, error.message));
    return;
  }
  const input = el('input', { class: 'edit-value', value: text, size: 40 });
  const asString = el('input', { type: 'checkbox', class: 'edit-string' });
  const save = el('button', { class: 'primary save', onclick: () => write(documentName, () =>
    api('/api/documents/' + encodeURIComponent(documentName) + '/value', 'PUT',
      { key: row.key, text: input.value, string: asString.checked, expect_revision: shownRevision }), shownRevision,
  'set ' + row.key) }, 'Save');
  const cancel = el('button', { onclick: () => { state.editing = false; render(); } }, 'Cancel');
  cell.replaceChildren(input, ' ', el('label', {}, asString, ' as text'), ' ', save, ' ', cancel);
  input.focus();
}

function addKeyForm(documentName, shownRevision) {
  const key = el('input', { id: 'new-key', placeholder: 'key (a.b.c)' });
  const value = el('input', { id: 'new-value', placeholder: 'value (JSON, or text)' });
  return el('form', { class: 'filters', onsubmit: event => {
    event.preventDefault();
    write(documentName, () => api('/api/documents/' + encodeURIComponent(documentName) + '/value', 'PUT',
      { key: key.value, text: value.value, expect_revision: shownRevision }), shownRevision, 'set ' + key.value);
  } }, el('label', {}, 'Key', key), el('label', {}, 'Value', value), el('button', { type: 'submit' }, 'Set'));
}

/** Sends a write; a conflict shows what changed since the page was drawn. */
async function write(documentName, send, shownRevision, what) {
  try {
    const result = (await send()).data;
    state.editing = false;
    setHead(plain(result.revision));
    notice('ok', el('span', { id: 'write-result' }, what + ': ' + (result.changed ? 'revision ' + plain(result.revision)
      : 'unchanged at revision ' + plain(result.revision))));
    await render();
  } catch (error) {
    if (error.status === 409) {
      const changes = await api('/api/diff' + query({ from: shownRevision, document: documentName }));
      notice('error', el('div', { id: 'conflict' }, error.message.replace(/\.?$/, '.') + ' Changed since the page showed revision '
        + shownRevision + ':'), diffTable(changes.data), el('button', { onclick: () => { state.editing = false; clearNotice(); render(); } }, 'Reload'));
    } else {
      notice('error', el('span', { id: 'write-error' }, error.message));
    }
  }
}

async function historyView(params) {
  const filters = {};
  for (const name of ['key', 'document', 'actor', 'since', 'until']) filters[name] = params.get(name) || '';
  const before = params.get('before') || '';
  const rows = (await api('/api/history' + query(Object.assign({ limit: 50, before }, filters)))).data;
  // the timeline: which keys each revision on the page changed
  const changed = new Map();
  if (filters.key === '' && rows.length) {
    const newest = plain(rows[0].revision);
    const oldest = plain(rows[rows.length - 1].revision);
    for (const entry of (await api('/api/history/keys' + query({ from: Number(oldest) - 1, to: newest }))).data) {
      const more = Number(plain(entry.keys_changed)) - entry.keys.length;
      changed.set(plain(entry.revision), entry.keys.join(', ') + (more > 0 ? ' and ' + more + ' more' : ''));
    }
  }
  const inputs = {};
  const form = el('form', { class: 'filters', onsubmit: event => {
    event.preventDefault();
    const chosen = {};
    for (const name of Object.keys(inputs)) chosen[name] = inputs[name].value;
    if (!chosen.key) chosen.document = ''; // a document narrows a key's history only
    location.hash = '#/history' + query(chosen);
  } }, Object.keys(filters).map(name => el('label', {}, name, inputs[name] = el('input', { name, value: filters[name], id: 'filter-' + name }))),
  el('button', { type: 'submit' }, 'Apply'));
  const byKey = filters.key !== '';
  const body = rows.map(row => byKey
    ? el('tr', { class: row.change },
      el('td', {}, plain(row.revision)), el('td', {}, row.committed_at), el('td', {}, row.actor), el('td', {}, row.key),
      el('td', {}, row.change), el('td', { class: 'old' }, cellText(row.old_value)), el('td', { class: 'new' }, cellText(row.new_value)),
      el('td', {}, link('#/diff' + query({ from: Number(plain(row.revision)) - 1, to: plain(row.revision), document: filters.document }), 'diff', { class: 'diff-link' })))
    : el('tr', {},
      el('td', {}, plain(row.revision)), el('td', {}, row.committed_at), el('td', {}, row.actor), el('td', {}, row.operation),
      el('td', {}, row.message || ''), el('td', { class: 'keys' }, changed.get(plain(row.revision)) || ''),
      el('td', {}, link('#/diff' + query({ from: Number(plain(row.revision)) - 1, to: plain(row.revision) }), 'diff', { class: 'diff-link' }))));
  const oldest = rows.length ? plain(rows[rows.length - 1].revision) : null;
  const pager = el('div', { class: 'pager' },
    before ? link('#/history' + query(filters), '⇤ newest', { id: 'history-newest' }) : null,
    rows.length === 50 && Number(oldest) > 1 ? link('#/history' + query(Object.assign({ before: oldest }, filters)), 'older →', { id: 'history-older' }) : null,
    el('span', { class: 'muted' }, rows.length + ' rows' + (before ? ' before revision ' + before : '')));
  const columns = byKey ? ['revision', 'time', 'actor', 'key', 'change', 'old value', 'new value', '']
    : ['revision', 'time', 'actor', 'operation', 'message', 'keys changed', ''];
  subscribe(filters.document || 'current');
  return el('section', {}, el('h2', {}, byKey ? 'History of ' + filters.key : 'History'), form, pager,
    table(columns, body), pager.cloneNode(true));
}

function diffTable(rows) {
  return table(['key', 'change', 'old value', 'new value'], rows.map(row => el('tr', { class: row.kind },
    el('td', {}, row.key), el('td', {}, row.kind), el('td', { class: 'old' }, cellText(row.old_value)),
    el('td', { class: 'new' }, cellText(row.new_value)))));
}

function diffGroups(rows) {
  const groups = new Map();
  for (const row of rows) {
    if (!groups.has(row.document)) groups.set(row.document, []);
    groups.get(row.document).push(row);
  }
  if (groups.size === 0) return el('p', { id: 'diff-empty' }, 'No key changed.');
  return [...groups.entries()].map(([name, changes]) => {
    const count = kind => changes.filter(row => row.kind === kind).length;
    return el('details', { open: changes.length <= 500, class: 'diff-document' },
      el('summary', {}, name + ': ' + changes.length + ' changed keys (+' + count('ADDED') + ' −' + count('REMOVED') + ' ~' + count('CHANGED') + ')'),
      diffTable(changes));
  });
}

async function diffView(params) {
  const from = params.get('from') || '';
  const to = params.get('to') || '';
  const documentName = params.get('document') || '';
  const inputs = { from: el('input', { id: 'diff-from', value: from, size: 8 }), to: el('input', { id: 'diff-to', value: to, size: 8, placeholder: 'head' }),
    document: el('input', { id: 'diff-document', value: documentName, placeholder: 'every document' }) };
  const form = el('form', { class: 'filters', onsubmit: event => {
    event.preventDefault();
    location.hash = '#/diff' + query({ from: inputs.from.value, to: inputs.to.value, document: inputs.document.value });
  } }, el('label', {}, 'from revision', inputs.from), el('label', {}, 'to revision', inputs.to),
  el('label', {}, 'document', inputs.document), el('button', { type: 'submit' }, 'Compare'));
  if (from === '') return el('section', {}, el('h2', {}, 'Diff'), form);
  const rows = (await api('/api/diff' + query({ from, to, document: documentName }))).data;
  return el('section', {}, el('h2', {}, 'Diff from revision ' + from + ' to ' + (to || 'head')), form, diffGroups(rows));
}

async function backupsView() {
  const points = (await api('/api/backups')).data;
  const preview = el('div', { id: 'restore-preview' });
  const body = points.map(point => el('tr', { 'data-name': point.name },
    el('td', {}, point.name), el('td', {}, point.document === null ? '(store)' : point.document), el('td', {}, plain(point.revision)),
    el('td', {}, plain(point.priority)), el('td', {}, point.kind), el('td', {}, point.created_at), el('td', {}, point.note),
    el('td', {}, state.readOnly ? null : [
      el('button', { class: 'preview', onclick: () => previewRestore(point.name, preview) }, 'Restore…'), ' ',
      el('button', { class: 'delete danger', onclick: async event => {
        if (event.target.dataset.armed !== 'yes') { event.target.dataset.armed = 'yes'; event.target.textContent = 'Confirm delete'; return; }
        try {
          await api('/api/backups/' + encodeURIComponent(point.name), 'DELETE');
          notice('ok', 'deleted restore point ' + point.name);
          render();
        } catch (error) { notice('error', error.message); }
      } }, 'Delete')])));
  return el('section', {}, el('h2', {}, 'Restore points'), state.readOnly ? null : createPointForm(),
    table(['name', 'document', 'revision', 'priority', 'kind', 'created', 'note', ''], body), preview);
}

function createPointForm() {
  const name = el('input', { id: 'point-name', placeholder: 'name' });
  const note = el('input', { id: 'point-note', placeholder: 'note' });
  const documentName = el('input', { id: 'point-document', placeholder: 'whole store' });
  return el('form', { class: 'filters', onsubmit: async event => {
    event.preventDefault();
    try {
      await api('/api/backups', 'POST', { name: name.value, note: note.value, document: documentName.value || null });
      notice('ok', 'created restore point ' + name.value);
      render();
    } catch (error) { notice('error', error.message); }
  } }, el('label', {}, 'Name', name), el('label', {}, 'Note', note), el('label', {}, 'Only document', documentName),
  el('button', { type: 'submit' }, 'Create restore point'));
}

/** The dry run first: what the restore would change, against the head it was computed at. */
async function previewRestore(name, target) {
  try {
    const head = plain((await api('/api/revision')).data.revision);
    const changes = (await api('/api/backups/' + encodeURIComponent(name) + '/preview')).data;
    const confirm = el('button', { class: 'primary', id: 'confirm-restore', onclick: async () => {
      try {
        const result = (await api('/api/backups/' + encodeURIComponent(name) + '/restore', 'POST', { expect_revision: Number(head) })).data;
        setHead(plain(result.revision));
        notice('ok', el('span', { id: 'write-result' }, 'restored ' + name + ': revision ' + plain(result.revision)));
        render();
      } catch (error) { notice('error', el('span', { id: 'write-error' }, error.message)); }
    } }, 'Confirm restore of ' + name);
    target.replaceChildren(el('h2', {}, 'Restoring ' + name + ' would change (dry run at revision ' + head + ')'),
      el('div', {}, diffGroups(changes)), confirm, ' ', el('button', { onclick: () => target.replaceChildren() }, 'Cancel'));
  } catch (error) { notice('error', error.message); }
}

async function healthView() {
  const [health, stats, operations] = await Promise.all([api('/api/health'), api('/api/stats'), api('/api/operations?limit=20')]);
  const s = stats.data;
  const now = Date.now();
  return el('section', {},
    el('h2', {}, 'Health: ', el('span', { class: 'level-' + health.data.level, id: 'health-level' }, health.data.level)),
    table(['level', 'check', 'message', 'recommendation'], health.data.findings.map(f => el('tr', {},
      el('td', { class: 'level-' + f.level }, f.level), el('td', {}, f.check), el('td', {}, f.message), el('td', {}, f.recommendation)))),
    el('h2', {}, 'Statistics'),
    el('table', { class: 'stats' }, el('tbody', {}, [['documents', s.documents], ['profiles', s.profiles], ['keys', s.keys],
      ['revisions', s.revisions], ['restore points', s.restore_points], ['size on disk (bytes)', s.size_bytes]]
      .map(([label, value]) => el('tr', {}, el('td', {}, label), el('td', {}, plain(value)))))),
    el('div', { class: 'charts' }, ['revisions-per-day', 'keys-over-time', 'operation-durations'].map(chart =>
      el('img', { src: '/api/charts/' + chart + '?t=' + now, alt: chart, id: 'chart-' + chart }))),
    el('h2', {}, 'Recent operations'),
    table(['id', 'started', 'actor', 'operation', 'document', 'revision', 'µs', 'outcome', 'error'], operations.data.map(o => el('tr', {},
      el('td', {}, plain(o.operation_id)), el('td', {}, o.started_at), el('td', {}, o.actor), el('td', {}, o.operation),
      el('td', {}, o.document || ''), el('td', {}, plain(o.revision)), el('td', {}, plain(o.duration_micros)),
      el('td', {}, o.outcome), el('td', {}, o.error || '')))));
}

// ---- live updates ---------------------------------------------------------------------------
function subscribe(documentName) {
  if (state.source && state.sourceDocument === documentName && state.source.readyState !== EventSource.CLOSED) return;
  if (state.source) state.source.close();
  state.sourceDocument = documentName;
  state.source = new EventSource('/api/events' + query({ document: documentName }));
  state.source.addEventListener('failure', event => {
    state.source.close(); // a refused stream would be retried for ever
    state.source = null;
    notice('error', el('span', { id: 'live-error' }, 'live updates stopped: ' + parseExact(event.data).error));
  });
  state.source.addEventListener('ready', event => {
    // after a reconnect the stream resumes from the last revision it delivered; a newer head means a redraw
    if (Number(plain(parseExact(event.data).revision)) > state.head && !busy()) render();
  });
  state.source.addEventListener('revision', event => {
    const lines = parseExact(event.data);
    if (!lines.length) return;
    const first = lines[0];
    setHead(plain(first.revision));
    const live = document.getElementById('live');
    live.className = 'live shown';
    live.replaceChildren(el('span', { id: 'live-text' }, 'revision ' + plain(first.revision) + ' by ' + first.actor + ': '
      + lines.map(line => line.kind.toLowerCase() + ' ' + line.key).join(', ')));
    if (busy()) {
      live.append(' ', el('button', { id: 'live-show', onclick: () => { state.editing = false; state.typed = false; render(); } },
        'Show (discards what you typed)'));
    } else {
      render();
    }
  });
}

/** Whether a redraw would throw away an edit or text typed into a form. */
function busy() {
  return state.editing || state.typed;
}

// ---- routing --------------------------------------------------------------------------------
const views = { documents: documentsView, history: historyView, diff: diffView, backups: backupsView, health: healthView };

async function render() {
  const hash = location.hash || '#/documents';
  const [path, search] = hash.slice(2).split('?');
  const name = path.split('/')[0];
  const params = new URLSearchParams(search || '');
  if (name === 'documents' && path.includes('/')) params.set('name', decodeURIComponent(path.split('/')[1]));
  const view = views[name] || documentsView;
  for (const key of Object.keys(views)) document.getElementById('nav-' + key).classList.toggle('active', key === name);
  const ticket = {};
  state.rendering = ticket;
  try {
    const content = await view(params);
    if (state.rendering === ticket) {
      document.getElementById('view').replaceChildren(content);
      state.typed = false;
    }
  } catch (error) {
    if (state.rendering === ticket) {
      document.getElementById('view').replaceChildren(el('p', { class: 'error', id: 'view-error' }, error.message));
    }
  }
}

async function start() {
  try {
    const session = (await api('/api/session')).data;
    state.csrf = session.csrf;
    state.readOnly = session.read_only;
    setHead(plain(session.revision));
    document.getElementById('mode').textContent = state.readOnly ? 'read-only' : '';
  } catch (error) {
    document.getElementById('view').replaceChildren(el('p', { id: 'view-error' }, error.message));
    return;
  }
  window.addEventListener('hashchange', () => { state.editing = false; state.typed = false; clearNotice(); render(); });
  document.getElementById('view').addEventListener('input', () => { state.typed = true; });
  if (!EXACT) {
    state.readOnly = true;
    notice('error', 'This browser rounds numbers when it reads JSON, so the console shows them as it reads them and'
      + ' offers no editing here. Use a current Chromium, Chrome, Edge or Firefox to edit.');
  }
  render();
}

start();
