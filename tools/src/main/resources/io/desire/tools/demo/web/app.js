// The live page: reads the engine's documents through the page server (which queries Elasticsearch
// exactly as an app does) and sends the user's actions as events. Plain JavaScript, no build step.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { user: null, lists: [], current: null, context: null, lastItem: null, busy: false, pick: 0 };

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const r = await fetch(path, init);
  const text = await r.text();
  const json = text ? JSON.parse(text) : {};
  if (!r.ok) { const e = new Error(json.error || ('HTTP ' + r.status)); e.status = r.status; throw e; }
  return json;
}

function say(text) { $('message').textContent = text || ''; }

// ---------------------------------------------------------------------------------------- reasons

function daypart(bucket) { return (bucket || '').replace('-', ' '); }

function reasonLabel(code, doc) {
  const ctx = doc.context || {};
  switch (code) {
    case 'affinity_item': return 'because you viewed it before';
    case 'affinity_category': return 'because you like ' + (doc._category || 'this category');
    case 'context_trending': return 'trending near you this ' + daypart(ctx.time_bucket) + ' on ' + ctx.device;
    case 'sequence': return state.lastItem ? 'people who viewed ' + state.lastItem + ' then viewed this'
                                          : 'people who viewed what you viewed then viewed this';
    case 'als': return 'people with tastes like yours liked this';
    case 'popular': return 'popular right now';
    case 'ranker_ftrl': return 'ordered by the learned ranker (FTRL)';
    case 'ranker_fm': return 'ordered by the learned ranker (FM)';
    default: return code;
  }
}

// ---------------------------------------------------------------------------------------- rendering

function ago(iso) {
  if (!iso) return '-';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  return s < 120 ? s.toFixed(1) + ' s ago' : Math.round(s / 60) + ' min ago';
}

function renderMeta() {
  const d = state.current;
  if (!d) { $('doc-meta').textContent = ''; return; }
  $('doc-meta').innerHTML = '';
  const add = (label, value, id) => {
    const span = document.createElement('span');
    span.id = id; span.textContent = label + ': ' + value + '  ';
    $('doc-meta').appendChild(span);
  };
  add('model', d.model_version, 'meta-model');
  add('event time', d.event_time + ' (' + ago(d.event_time) + ')', 'meta-event-time');
  add('written', ago(d.updated_at), 'meta-age');
  add('events learned', d.profile_events, 'meta-events');
}

function renderList(doc, previous, context) {
  state.current = doc;
  state.context = context || (doc ? doc.context : null);
  if (state.context) {
    $('ctx-geo').value = state.context.geo_cell; $('ctx-bucket').value = state.context.time_bucket;
    $('ctx-device').value = state.context.device;
  }
  $('doc-user').textContent = doc ? '— ' + doc.user + ' @ ' + (doc.context || {}).key : '';
  const ol = $('recs');
  ol.innerHTML = '';
  if (!doc) { renderMeta(); return; }
  const before = new Set(((previous && previous.items) || []).map((i) => i.item));
  for (const it of doc.items || []) {
    const li = document.createElement('li');
    li.className = 'rec' + (previous && !before.has(it.item) ? ' fresh' : '');
    li.dataset.item = it.item;
    const name = document.createElement('span'); name.className = 'item'; name.textContent = it.item;
    const score = document.createElement('span'); score.className = 'score'; score.textContent = 'score ' + Number(it.score).toFixed(3);
    const cat = document.createElement('span'); cat.className = 'category'; cat.textContent = it.category || '';
    li.append(name, score, cat, document.createElement('br'));
    for (const code of it.reasons || []) {
      const r = document.createElement('span'); r.className = 'reason'; r.dataset.reason = code;
      r.textContent = reasonLabel(code, Object.assign({ _category: it.category }, doc));
      li.appendChild(r);
    }
    li.appendChild(document.createElement('br'));
    for (const type of ['view', 'click', 'add_to_cart', 'purchase', 'rate']) {
      const b = document.createElement('button');
      b.className = 'act'; b.dataset.type = type; b.textContent = type.replace(/_/g, ' ');
      b.addEventListener('click', () => act(it.item, type));
      li.appendChild(b);
    }
    ol.appendChild(li);
  }
  renderMeta();
}

function renderContexts() {
  const cells = $('ctx-geo-cells'); cells.innerHTML = '';
  [...new Set(state.lists.map((d) => (d.context || {}).geo_cell))].forEach((c) => {
    const o = document.createElement('option'); o.value = c; cells.appendChild(o);
  });
  const sel = $('context-select');
  const keep = state.current && state.current._id;
  sel.innerHTML = '';
  state.lists.forEach((d, i) => {
    const o = document.createElement('option');
    o.value = d._id; o.textContent = (d.context || {}).key + (i === 0 ? '  (last context)' : '');
    sel.appendChild(o);
  });
  if (keep && state.lists.some((d) => d._id === keep)) sel.value = keep;
}

// ---------------------------------------------------------------------------------------- actions

async function pickUser(user) {
  const pick = ++state.pick; // a newer pick wins over answers still on their way
  say('');
  $('latency').textContent = '';
  $('forget-status').textContent = '';
  try {
    const r = await api('/api/lists?user=' + encodeURIComponent(user));
    if (pick !== state.pick) return;
    state.user = user; state.lists = r.lists; state.lastItem = null;
    state.current = null;
    renderContexts();
    renderList(r.lists[0], null);
    $('forget').disabled = false;
  } catch (e) {
    if (pick !== state.pick) return;
    state.user = null; state.lists = []; renderContexts(); renderList(null);
    $('forget').disabled = true;
    say(e.message);
  }
}

async function act(item, type) {
  if (!state.current || state.busy) return;
  state.busy = true;
  const clicked = performance.now();
  const pick = state.pick;
  const ctx = state.context || state.current.context;
  const body = { user: state.user, item, type, context: { geo_cell: ctx.geo_cell, time_bucket: ctx.time_bucket, device: ctx.device } };
  if (type === 'rate') body.value = 5;
  $('latency').textContent = type.replace(/_/g, ' ') + ' ' + item + ' sent; waiting for the list to change…';
  try {
    const sent = await api('/api/act', body);
    state.lastItem = item;
    const previous = state.current;
    const deadline = clicked + 30000;
    while (performance.now() < deadline) {
      let doc = null;
      try { doc = await api('/api/doc?id=' + encodeURIComponent(sent.doc_id)); } catch (e) { if (e.status !== 404) throw e; }
      if (doc && Date.parse(doc.event_time) >= sent.ts) {
        const ms = Math.round(performance.now() - clicked);
        api('/api/latency', { ms }).catch(() => {});
        if (pick !== state.pick) return; // another user was picked meanwhile: keep showing them
        if (!state.lists.some((d) => d._id === doc._id)) state.lists.unshift(doc);
        state.lists = state.lists.map((d) => (d._id === doc._id ? doc : d));
        renderContexts();
        $('context-select').value = doc._id;
        renderList(doc, previous);
        $('latency').textContent = 'list updated ' + ms + ' ms after the click' +
          (sent.landed_elsewhere ? ' (the event landed in context ' + sent.context.key + ', the time bucket of now)' : '');
        $('latency').dataset.ms = ms;
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    $('latency').textContent = 'no change seen within 30 s';
  } catch (e) {
    say(e.message);
  } finally {
    state.busy = false;
  }
}

async function forget() {
  if (!state.user) return;
  const user = state.user;
  const t0 = performance.now();
  $('forget-status').textContent = 'forget_user sent for ' + user + '; waiting for the documents to disappear…';
  try {
    await api('/api/forget', { user });
    while (performance.now() - t0 < 60000) {
      try {
        await api('/api/lists?user=' + encodeURIComponent(user));
      } catch (e) {
        if (e.status !== 404) throw e;
        state.lists = []; renderContexts(); renderList(null);
        $('forget').disabled = true;
        $('forget-status').textContent = 'forgotten: all documents of ' + user + ' are gone (' +
          Math.round(performance.now() - t0) + ' ms)';
        $('forget-status').dataset.done = 'true';
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    $('forget-status').textContent = 'documents still there after 60 s';
  } catch (e) {
    $('forget-status').textContent = e.message;
  }
}

// A context picked by hand: the list an app in that context reads, by id, else the fall-back query.
async function showContext() {
  if (!state.user) return;
  const ctx = { geo_cell: $('ctx-geo').value.trim(), time_bucket: $('ctx-bucket').value, device: $('ctx-device').value };
  const key = ctx.geo_cell + ':' + ctx.time_bucket + ':' + ctx.device;
  ctx.key = key;
  say('');
  try {
    const doc = await api('/api/doc?id=' + encodeURIComponent(state.user + ':' + key));
    renderList(doc, null);
    $('context-select').value = doc._id;
  } catch (e) {
    if (e.status !== 404) { say(e.message); return; }
    try {
      const q = new URLSearchParams({ user: state.user, geo_cell: ctx.geo_cell, time_bucket: ctx.time_bucket, device: ctx.device });
      const doc = await api('/api/context?' + q);
      renderList(doc, null, ctx);
      say('no list for ' + key + ' yet; an app there falls back to ' + doc.context.key +
          ' (shown). Acting now sends events in ' + key + '.');
    } catch (e2) { say(e2.message); }
  }
}

// ---------------------------------------------------------------------------------------- refresh

async function refreshCurrent() {
  if (!state.current || state.busy) return;
  try {
    const doc = await api('/api/doc?id=' + encodeURIComponent(state.current._id));
    if (!state.busy && state.current && doc._id === state.current._id && doc.updated_at !== state.current.updated_at) {
      renderList(doc, state.current, state.context);
    }
  } catch (e) { /* a forgotten or not yet refreshed document: keep what is shown */ }
}

function line(svg, series, colors) {
  svg.innerHTML = '';
  const all = series.flat().filter((v) => v !== null && v >= 0);
  if (!all.length) return;
  const max = Math.max(...all, 1e-9), n = Math.max(...series.map((s) => s.length));
  series.forEach((s, k) => {
    const pts = s.map((v, i) => (i * 300 / Math.max(n - 1, 1)).toFixed(1) + ',' + (76 - (Math.max(v, 0) / max) * 68).toFixed(1));
    const p = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    p.setAttribute('points', pts.join(' ')); p.setAttribute('fill', 'none');
    p.setAttribute('stroke', colors[k]); p.setAttribute('stroke-width', '1.5');
    svg.appendChild(p);
  });
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  t.setAttribute('x', 2); t.setAttribute('y', 10); t.setAttribute('font-size', 9);
  t.textContent = 'max ' + (max >= 100 ? Math.round(max) : max.toFixed(1)) + '  now ' +
    series.map((s) => { const v = s[s.length - 1]; return v >= 100 ? Math.round(v) : Number(v).toFixed(1); }).join(' / ');
  svg.appendChild(t);
}

async function refreshStatus() {
  try {
    const s = await api('/api/status');
    const p = s.points;
    $('model-version').textContent = 'model ' + s.model_version;
    line($('chart-events'), [p.map((x) => x.eventsPerSecond)], ['#23303d']);
    line($('chart-lag'), [p.map((x) => (x.lagMs < 0 ? null : x.lagMs / 1000))], ['#b3261e']);
    line($('chart-docs'), [p.map((x) => x.documentsWritten)], ['#1b5e20']);
    line($('chart-models'), [p.map((x) => x.ftrlVersion), p.map((x) => x.alsItemVersion)], ['#6a1b9a', '#d9822b']);
    const last = p[p.length - 1];
    const dl = $('dead-letters'); dl.innerHTML = '';
    const reasons = last ? Object.entries(last.deadLettersByReason) : [];
    const top = Math.max(1, ...reasons.map((r) => r[1]));
    if (!reasons.length) dl.textContent = last ? 'none' : 'waiting for the job\'s metrics…';
    for (const [reason, count] of reasons) {
      const row = document.createElement('div'); row.className = 'bar';
      const fill = document.createElement('span'); fill.className = 'fill'; fill.style.width = (count / top * 120) + 'px';
      row.append(reason, fill, String(count));
      dl.appendChild(row);
    }
    const l = s.latency;
    $('latency-summary').textContent = l.count
      ? 'click → updated list: p50 ' + l.p50_ms + ' ms, p90 ' + l.p90_ms + ' ms over ' + l.count + ' clicks'
      : 'click → updated list: no measurement yet';
  } catch (e) { /* status is best effort */ }
}

async function suggest() {
  const prefix = $('user-input').value.trim();
  try {
    const r = await api('/api/users?prefix=' + encodeURIComponent(prefix));
    const dl = $('user-suggestions'); dl.innerHTML = '';
    r.users.forEach((u) => { const o = document.createElement('option'); o.value = u; dl.appendChild(o); });
  } catch (e) { /* suggestions are best effort */ }
}

$('user-form').addEventListener('submit', (e) => { e.preventDefault(); const u = $('user-input').value.trim(); if (u) pickUser(u); });
$('random-user').addEventListener('click', async () => {
  try { const r = await api('/api/users/random'); $('user-input').value = r.user; pickUser(r.user); } catch (e) { say(e.message); }
});
$('user-input').addEventListener('input', suggest);
$('context-select').addEventListener('change', () => {
  const d = state.lists.find((x) => x._id === $('context-select').value);
  if (d) renderList(d, null);
});
$('forget').addEventListener('click', forget);
$('context-form').addEventListener('submit', (e) => { e.preventDefault(); showContext(); });
$('ctx-last').addEventListener('click', () => { if (state.lists.length) { renderContexts(); $('context-select').value = state.lists[0]._id; renderList(state.lists[0], null); } });
api('/api/config').then((c) => {
  for (const [id, values] of [['ctx-bucket', c.time_buckets], ['ctx-device', c.devices]]) {
    values.forEach((v) => { const o = document.createElement('option'); o.value = v; o.textContent = v; $(id).appendChild(o); });
  }
}).catch(() => {});
setInterval(refreshCurrent, 2000);
setInterval(renderMeta, 1000);
setInterval(refreshStatus, 2000);
refreshStatus();
const initial = new URLSearchParams(location.search).get('user');
if (initial) { $('user-input').value = initial; pickUser(initial); }
