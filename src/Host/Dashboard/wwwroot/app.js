// Streams dashboard: plain JS and SVG, no dependencies. Loads a municipality's live state from the read API, then
// keeps it current from the server-sent events of /api/stream (aggregate, alert, subject, subject-removed, reset).
'use strict';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

const state = {
  ags: null,
  aggregate: null,
  boundary: null,
  subjects: new Map(),   // "kind/id" -> subject view
  alerts: new Map(),     // "subject|rule" -> open alert
  stream: null,
  lastEventAt: null,
  wholeTown: false,
  resumes: 0,
  resets: 0,
};

// ---------- small helpers ----------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
function time(iso) { return iso ? timeFmt.format(new Date(iso)) : '–'; }

function ago(iso) {
  if (!iso) return 'no reading yet';
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min ago`;
}

function fmtDelay(sec) {
  if (sec === null || sec === undefined) return 'no delay data';
  const sign = sec < 0 ? '−' : '+';
  const a = Math.abs(sec);
  return `${sign}${Math.floor(a / 60)}:${String(a % 60).padStart(2, '0')} min`;
}

function num(v, digits = 0) { return v === null || v === undefined ? '–' : Number(v).toFixed(digits); }

const kindName = { pegel: 'Gauge', parking: 'Car park', bus: 'Bus' };
function title(s) { return s.name || s.id; }

// ---------- classification (what colour a subject gets) ----------

function parkingStatus(s) {
  if (s.stale) return 'stale';
  const rules = new Set(s.openAlerts.map((a) => a.rule));
  if (rules.has('parking.full')) return 'full';
  if (rules.has('parking.almost-full')) return 'almost';
  return s.parking ? 'ok' : 'stale';
}

function busStatus(s) {
  if (s.stale || !s.bus || !s.lastObservedAt) return 'stale';
  if (s.openAlerts.some((a) => a.rule === 'bus.delayed')) return 'delayed';
  const d = s.bus.delaySeconds;
  return d !== null && d !== undefined && d >= 120 ? 'late' : 'ok';
}

const statusText = { ok: 'Spaces free', almost: 'Almost full', full: 'Full', stale: 'No data', late: 'Late', delayed: 'Delayed' };

// ---------- loading ----------

async function init() {
  const list = await getJson('/api/municipalities');
  const select = $('municipality');
  for (const m of list) select.append(el('option', { value: m.id, text: m.name ? `${m.name} (${m.id})` : m.id }));
  const wanted = new URLSearchParams(location.search).get('m');
  const ags = list.some((m) => m.id === wanted) ? wanted : (list[0] && list[0].id);
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('m', select.value);
    history.pushState(null, '', url);
    load(select.value);
  });
  window.addEventListener('popstate', () => {
    const m = new URLSearchParams(location.search).get('m');
    if (m && m !== state.ags) { select.value = m; load(m); }
  });
  $('fit').addEventListener('click', () => {
    state.wholeTown = !state.wholeTown;
    $('fit').setAttribute('aria-pressed', String(state.wholeTown));
    $('fit').textContent = state.wholeTown ? 'Zoom to sensors' : 'Show whole municipality';
    renderMap();
  });
  setInterval(renderAges, 5000);
  let resizing;
  window.addEventListener('resize', () => { clearTimeout(resizing); resizing = setTimeout(renderMap, 200); });
  if (ags) { select.value = ags; await load(ags); }
}

async function load(ags) {
  if (state.stream) state.stream.close();
  state.ags = ags;
  state.subjects.clear();
  state.alerts.clear();
  state.aggregate = null;
  openStream(null);
  await loadSnapshot();
}

// The full state from the read API; used at start, on a municipality change and after a `reset` event.
async function loadSnapshot() {
  const ags = state.ags;
  const [boundary, sensors, aggregate, alerts] = await Promise.all([
    getJson(`/api/municipalities/${encodeURIComponent(ags)}/boundary`),
    getJson(`/api/municipalities/${encodeURIComponent(ags)}/sensors`),
    getJson(`/api/municipalities/${encodeURIComponent(ags)}`),
    getJson(`/api/alerts?open=true&municipality=${encodeURIComponent(ags)}`),
  ]);
  if (ags !== state.ags) return;
  state.boundary = boundary.geometry;
  state.subjects = new Map(sensors.subjects.map((s) => [s.subject, s]));
  state.alerts = new Map(alerts.map((a) => [`${a.subject}|${a.rule}`, a]));
  applyAggregate(aggregate);
  document.title = `${boundary.properties.name || ags} — live situation`;
  renderAll();
}

// ---------- the live stream ----------

function openStream(lastEventId) {
  const q = new URLSearchParams({ municipality: state.ags });
  if (lastEventId) q.set('lastEventId', lastEventId);
  const es = new EventSource(`/api/stream?${q}`);
  state.stream = es;
  let last = lastEventId;
  const track = (e) => { if (e.lastEventId) last = e.lastEventId; state.lastEventAt = new Date(); };
  es.onopen = () => setConnection('live');
  es.onerror = () => {
    setConnection('lost');
    // The browser reconnects by itself (with Last-Event-ID) unless the server answered with an error: then we do.
    if (es.readyState === EventSource.CLOSED && state.stream === es) setTimeout(() => { if (state.stream === es) openStream(last); }, 2000);
  };
  es.addEventListener('hello', track);
  es.addEventListener('aggregate', (e) => { track(e); applyAggregate(JSON.parse(e.data)); renderTiles(); });
  es.addEventListener('alert', (e) => { track(e); applyAlert(JSON.parse(e.data)); renderAlerts(); renderTiles(); });
  es.addEventListener('subject', (e) => { track(e); applySubject(JSON.parse(e.data)); });
  es.addEventListener('subject-removed', (e) => {
    track(e);
    state.subjects.delete(JSON.parse(e.data).subject);
    renderAll();
  });
  es.addEventListener('reset', (e) => { track(e); state.resets++; loadSnapshot(); });
}

function setConnection(how) {
  const wasLost = document.body.dataset.stream === 'lost';
  document.body.dataset.stream = how;
  $('conn').textContent = how === 'live' ? 'Live' : how === 'lost' ? 'Connection lost' : 'Connecting…';
  $('banner').hidden = how !== 'lost';
  $('banner-since').textContent = state.lastEventAt ? timeFmt.format(state.lastEventAt) : '–';
  if (how === 'live' && wasLost) state.resumes++;
}

function applyAggregate(a) {
  if (!a || a.municipality !== state.ags) return;
  if (state.aggregate && a.seq < state.aggregate.seq) return;
  state.aggregate = a;
}

function applyAlert(ev) {
  const d = ev.data;
  if (!d || d.municipality !== state.ags) return;
  const key = `${ev.subject}|${d.rule}`;
  if (d.state === 'raised') {
    state.alerts.set(key, { subject: ev.subject, rule: d.rule, since: d.episodeStartedAt, severity: d.severity,
      message: d.message, value: d.value, id: ev.id, fresh: true });
  } else {
    const open = state.alerts.get(key);
    if (open && new Date(open.since).getTime() === new Date(d.episodeStartedAt).getTime()) state.alerts.delete(key);
  }
}

function applySubject(s) {
  const before = state.subjects.get(s.subject);
  state.subjects.set(s.subject, s);
  // The entity's open episodes are the truth; alerts from the topic only describe them.
  for (const [key, a] of state.alerts) if (a.subject === s.subject && !s.openAlerts.some((o) => o.rule === a.rule)) state.alerts.delete(key);
  for (const o of s.openAlerts) {
    const key = `${s.subject}|${o.rule}`;
    if (!state.alerts.has(key)) state.alerts.set(key, o);
  }
  if (!before || before.kind !== s.kind) renderAll(); else { renderSubject(s); renderMarker(s); renderAlerts(); }
}

// ---------- rendering ----------

function renderAll() {
  renderTiles();
  renderMap();
  renderAlerts();
  renderLists();
}

function tile(id, level, big, sub) {
  $(`tile-${id}`).className = `tile lvl-${level}`;
  $(`t-${id}`).textContent = big;
  $(`t-${id}-sub`).textContent = sub;
}

function renderTiles() {
  const a = state.aggregate;
  const open = state.alerts.size;
  $('t-alerts').textContent = String(open);
  $('tile-alerts').className = `tile lvl-${open === 0 ? 'ok' : [...state.alerts.values()].some((x) => x.severity === 'critical') ? 'crit' : 'warn'}`;
  $('t-alerts-sub').textContent = a ? `as of ${time(a.asOf)}` : '';
  if (!a) return;
  const p = a.pegel;
  tile('water', p.maxStage >= 3 ? 'crit' : p.maxStage >= 1 ? 'warn' : 'ok', p.maxStage > 0 ? `Stage ${p.maxStage}` : 'Below stage 1',
    `${p.stations} gauge(s), ${p.rising} rising fast, ${p.stale} silent`);
  const k = a.parking;
  tile('parking', k.full > 0 ? 'crit' : k.almostFull > 0 ? 'warn' : 'ok', `${k.free} free`,
    `of ${k.capacity} (${num(k.occupancyPercent, 1)} % occupied) · ${k.full} full, ${k.almostFull} almost full, ${k.stale} silent`);
  const b = a.bus;
  tile('bus', b.delayed > 0 ? 'warn' : 'ok', `${b.delayed} delayed`,
    `${b.vehicles} vehicle(s) · mean ${fmtDelay(Math.round(b.meanDelaySeconds))} · max ${fmtDelay(b.maxDelaySeconds)} · ${b.stale} silent`);
}

function renderAlerts() {
  const list = $('alert-list');
  const alerts = [...state.alerts.values()].sort((x, y) => new Date(y.since) - new Date(x.since));
  list.replaceChildren(...alerts.map((a) => {
    const s = state.subjects.get(a.subject);
    const sev = a.severity || 'unknown';
    const li = el('li', { 'data-subject': a.subject, 'data-rule': a.rule, 'data-severity': sev, class: a.fresh ? 'new' : null },
      el('span', { class: `sev ${sev}`, text: sev === 'unknown' ? 'open' : sev }),
      el('span', { class: 'msg', text: a.message || `${a.rule} on ${s ? title(s) : a.subject}` }),
      el('span', { class: 'meta', text: `${s ? `${kindName[s.kind]} ${title(s)} · ` : ''}${a.rule} · since ${time(a.since)}` }));
    li.tabIndex = 0;
    li.addEventListener('focus', () => highlight(a.subject, true));
    li.addEventListener('blur', () => highlight(a.subject, false));
    li.addEventListener('mouseenter', () => highlight(a.subject, true));
    li.addEventListener('mouseleave', () => highlight(a.subject, false));
    a.fresh = false;
    return li;
  }));
  const count = $('alert-count');
  count.textContent = String(alerts.length);
  count.classList.toggle('zero', alerts.length === 0);
  $('no-alerts').hidden = alerts.length > 0;
}

function highlight(subject, on) {
  const m = document.querySelector(`#map .marker[data-subject="${CSS.escape(subject)}"]`);
  if (m) m.classList.toggle('hl', on);
}

function renderLists() {
  const subjects = [...state.subjects.values()].sort((a, b) => title(a).localeCompare(title(b)));
  $('gauges').replaceChildren(...subjects.filter((s) => s.kind === 'pegel').map(gaugeCard));
  $('parking').replaceChildren(...subjects.filter((s) => s.kind === 'parking').map(parkingRow));
  $('buses').replaceChildren(...subjects.filter((s) => s.kind === 'bus').map(busRow));
  if (!$('gauges').children.length) $('gauges').append(el('p', { class: 'empty', text: 'No gauges.' }));
  if (!$('parking').children.length) $('parking').append(el('li', { class: 'empty', text: 'No car parks.' }));
  if (!$('buses').children.length) $('buses').append(el('li', { class: 'empty', text: 'No buses.' }));
}

function renderSubject(s) {
  const old = document.querySelector(`[data-subject="${CSS.escape(s.subject)}"]:not(#map *):not(#alert-list *)`);
  const fresh = s.kind === 'pegel' ? gaugeCard(s) : s.kind === 'parking' ? parkingRow(s) : busRow(s);
  if (old) old.replaceWith(fresh); else renderLists();
}

function staleBadge(s) {
  return s.stale ? el('span', { class: 'badge stale', text: `No data since ${time(s.lastObservedAt)}` }) : null;
}

function gaugeCard(s) {
  const g = s.pegel || { stagesCm: [], recentReadings: [] };
  const stage = g.stage || 0;
  const card = el('article', {
    class: `gauge${s.stale ? ' is-stale' : ''}`, 'data-subject': s.subject, 'data-level': g.levelCm ?? '', 'data-stage': stage,
    'data-stale': String(s.stale), 'aria-label': `Gauge ${title(s)}`,
  },
  el('h3', null, title(s), g.water ? el('span', { class: 'water', text: ` · ${g.water}` }) : null,
    el('span', { class: `badge s${Math.min(stage, 4)}`, text: stage > 0 ? `Stage ${stage}` : 'Below stage 1' }), staleBadge(s)),
  meter(g),
  el('div', { class: 'level' }, `${num(g.levelCm, 0)} cm`,
    el('small', { text: g.trendCmPerHour !== null && g.trendCmPerHour !== undefined ? `  ${g.trendCmPerHour >= 0 ? '↑' : '↓'} ${num(Math.abs(g.trendCmPerHour), 0)} cm/h` : '' })),
  sparkline(g),
  el('div', { class: 'meta', 'data-observed': s.lastObservedAt || '', 'data-applied': s.lastAppliedAt || '', text: lastReading(s.lastObservedAt, s.lastAppliedAt) }));
  return card;
}

// A vertical gauge: the level against the stage lines (stage 1 … n), scaled to the highest stage plus a margin.
function meter(g) {
  const stages = g.stagesCm || [];
  const top = Math.max(...stages, g.levelCm || 0) * 1.15 || 100;
  const y = (v) => 90 - Math.max(0, Math.min(1, v / top)) * 86;
  const stage = Math.min(g.stage || 0, 4);
  const m = svg('svg', { class: 'meter', viewBox: '0 0 44 92', role: 'img',
    'aria-label': `Level ${num(g.levelCm)} cm; stage lines ${stages.join(', ')} cm` });
  m.append(svg('rect', { x: 4, y: 4, width: 16, height: 86, rx: 3, fill: '#eaeef2' }));
  if (g.levelCm !== null && g.levelCm !== undefined)
    m.append(svg('rect', { x: 4, y: y(g.levelCm), width: 16, height: 90 - y(g.levelCm), rx: 2, fill: `var(--s${stage})` }));
  stages.forEach((v, i) => {
    m.append(svg('line', { x1: 2, x2: 24, y1: y(v), y2: y(v), stroke: `var(--s${i + 1})`, 'stroke-width': 2 }));
    const t = svg('text', { x: 26, y: y(v) + 3, 'font-size': 8, fill: '#424a53' });
    t.textContent = `${i + 1}`;
    m.append(t);
  });
  return m;
}

// The readings the gauge keeps (its last 60 minutes of event time), with the next stage line for reference.
function sparkline(g) {
  const pts = (g.recentReadings || []).map((r) => [new Date(r.observedAt).getTime(), r.levelCm]);
  const s = svg('svg', { class: 'spark', viewBox: '0 0 200 36', preserveAspectRatio: 'none', role: 'img',
    'aria-label': `Last ${pts.length} reading(s)` });
  if (pts.length < 2) return s;
  const t0 = pts[0][0], t1 = pts[pts.length - 1][0] || t0 + 1;
  const levels = pts.map((p) => p[1]);
  const lo = Math.min(...levels), hi = Math.max(...levels), span = hi - lo || 1;
  const x = (t) => ((t - t0) / (t1 - t0 || 1)) * 200;
  const y = (v) => 33 - ((v - lo) / span) * 30;
  s.append(svg('path', { d: pts.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ') }));
  const next = (g.stagesCm || []).find((v) => v >= lo && v <= hi);
  if (next !== undefined) s.append(svg('line', { x1: 0, x2: 200, y1: y(next), y2: y(next) }));
  return s;
}

function parkingRow(s) {
  const p = s.parking;
  const status = parkingStatus(s);
  const pct = p ? Math.max(0, Math.min(100, p.occupancyPercent)) : 0;
  const bar = el('div', { class: `bar ${status}`, role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct.toFixed(0),
    'aria-label': `${title(s)} occupancy` }, el('span'));
  bar.firstChild.style.width = `${pct}%`;
  return el('li', { 'data-subject': s.subject, 'data-status': status, 'data-free': p ? p.free : '', class: s.stale ? 'is-stale' : null },
    el('div', { class: 'line' }, el('span', { class: 'name', text: title(s) }), el('span', { class: `badge ${status}`, text: statusText[status] })),
    bar,
    el('div', { class: 'line' },
      el('span', { class: 'free', text: p ? `${p.free} free of ${p.capacity} (${num(p.occupancyPercent, 0)} %)` : 'no reading yet' }),
      el('span', { class: 'meta', text: s.stale ? `silent since ${time(s.lastObservedAt)}` : time(s.lastObservedAt) })));
}

function busRow(s) {
  const status = busStatus(s);
  const d = s.bus ? s.bus.delaySeconds : null;
  return el('li', { 'data-subject': s.subject, 'data-status': status, 'data-delay': d ?? '', class: s.stale ? 'is-stale' : null },
    el('div', { class: 'line' },
      el('span', { class: 'name', text: `${s.id}${s.bus && s.bus.routeId ? ` · line ${s.bus.routeId}` : ''}` }),
      el('span', { class: `delay ${status === 'stale' ? '' : status}`, text: s.lastObservedAt ? fmtDelay(d) : 'no position yet' })),
    el('div', { class: 'line' },
      el('span', { class: 'meta', text: s.registered ? '' : 'not in the registry' }),
      status === 'stale' ? el('span', { class: 'badge stale', text: s.lastObservedAt ? `No position since ${time(s.lastObservedAt)}` : 'No data' })
        : el('span', { class: 'meta', text: `position ${time(s.lastObservedAt)}` })));
}

function lastReading(observed, applied) { return `Last reading ${time(observed)} (${ago(applied)})`; }

// Only the texts change: elements stay, so keyboard focus stays where it is.
function renderAges() {
  for (const e of document.querySelectorAll('[data-applied]')) e.textContent = lastReading(e.dataset.observed, e.dataset.applied);
}

// ---------- the map ----------

// Equirectangular projection around the municipality's mean latitude; good enough at town scale.
function projection() {
  const pts = [];
  const ring = (r) => r.forEach((c) => pts.push(c));
  const b = state.boundary;
  if (b && b.type === 'Polygon') b.coordinates.forEach(ring);
  if (b && b.type === 'MultiPolygon') b.coordinates.forEach((p) => p.forEach(ring));
  const located = [...state.subjects.values()].filter((s) => s.lat !== null && s.lon !== null && s.lat !== undefined);
  const focus = !state.wholeTown && located.length ? located.map((s) => [s.lon, s.lat]) : (pts.length ? pts : located.map((s) => [s.lon, s.lat]));
  if (!focus.length) return null;
  const lat0 = (Math.min(...focus.map((p) => p[1])) + Math.max(...focus.map((p) => p[1]))) / 2;
  const k = Math.cos(lat0 * Math.PI / 180);
  const project = ([lon, lat]) => [lon * k * 1000, -lat * 1000];
  const xs = focus.map((p) => project(p)[0]), ys = focus.map((p) => project(p)[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = Math.max(x1 - x0, y1 - y0, 4) * 0.2 + 1;
  x0 -= pad; y0 -= pad; y1 += pad;
  x1 += pad + (x1 - x0) * 0.25; // labels sit right of their markers
  return { project, box: [x0, y0, x1 - x0, y1 - y0] };
}

function renderMap() {
  const map = $('map');
  map.replaceChildren();
  const p = projection();
  if (!p) return;
  state.projection = p;
  map.setAttribute('viewBox', p.box.join(' '));
  const b = state.boundary;
  if (b) {
    const polys = b.type === 'Polygon' ? [b.coordinates] : b.type === 'MultiPolygon' ? b.coordinates : [];
    const d = polys.map((poly) => poly.map((r) => r.map((c, i) => `${i ? 'L' : 'M'}${p.project(c).map((v) => v.toFixed(2)).join(',')}`).join(' ') + ' Z').join(' ')).join(' ');
    map.append(svg('path', { class: 'boundary', d, 'fill-rule': 'evenodd' }));
  }
  map.append(svg('g', { id: 'markers' }));
  map.append(scaleBar(p));
  // Buses on top of car parks on top of gauges.
  const order = { pegel: 0, parking: 1, bus: 2 };
  [...state.subjects.values()].sort((a, b2) => order[a.kind] - order[b2.kind]).forEach(renderMarker);
}

// One view unit is 1/1000 degree of latitude (or of longitude scaled by cos(lat)): about 111.32 m.
function scaleBar(p) {
  const [x0, y0, w, h] = p.box;
  const metres = [50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000].find((m) => m / 111.32 >= w / 6) || 20000;
  const len = metres / 111.32;
  const px = w / ($('map').clientWidth || 600);
  const x = x0 + 12 * px, y = y0 + h - 14 * px;
  const t = svg('text', { x, y: y - 5 * px, 'font-size': 12 * px, class: 'scale-text' });
  t.textContent = metres >= 1000 ? `${metres / 1000} km` : `${metres} m`;
  return svg('g', { class: 'scale', 'aria-hidden': 'true' },
    svg('path', { d: `M${x},${y - 4 * px} V${y} H${x + len} V${y - 4 * px}`, class: 'scale-bar' }), t);
}

function markerLabel(s) {
  if (s.kind === 'pegel') return `Gauge ${title(s)}: ${num(s.pegel && s.pegel.levelCm)} cm, ${s.pegel && s.pegel.stage ? `stage ${s.pegel.stage}` : 'below stage 1'}${s.stale ? ', no data' : ''}`;
  if (s.kind === 'parking') return `Car park ${title(s)}: ${s.parking ? `${s.parking.free} free of ${s.parking.capacity}` : 'no reading'}, ${statusText[parkingStatus(s)]}`;
  return `Bus ${s.id}: ${fmtDelay(s.bus && s.bus.delaySeconds)}${s.stale ? ', no position' : ''}`;
}

function renderMarker(s) {
  const p = state.projection;
  const layer = document.getElementById('markers');
  if (!p || !layer) return;
  const old = layer.querySelector(`[data-subject="${CSS.escape(s.subject)}"]`);
  if (s.lat === null || s.lat === undefined || s.lon === null || s.lon === undefined) { if (old) old.remove(); return; }
  const [x, y] = p.project([s.lon, s.lat]);
  // Markers keep their size on screen whatever the zoom: 8 px, in view units.
  const map = $('map');
  const r = 8 * Math.max(p.box[2] / (map.clientWidth || 600), p.box[3] / (map.clientHeight || 400));
  let cls, shape;
  if (s.kind === 'pegel') {
    cls = s.stale ? 'stale' : `s${Math.min((s.pegel && s.pegel.stage) || 0, 4)}`;
    shape = svg('path', { d: `M0,${-r * 1.3} L${r * 1.2},${r} L${-r * 1.2},${r} Z`, class: `mk pegel ${cls}` });
  } else if (s.kind === 'parking') {
    cls = parkingStatus(s);
    shape = svg('rect', { x: -r, y: -r, width: 2 * r, height: 2 * r, rx: r / 3, class: `mk parking ${cls}` });
  } else {
    cls = busStatus(s);
    shape = svg('circle', { r: r * 0.85, class: `mk bus ${cls}` });
  }
  const label = markerLabel(s);
  const g = svg('g', { class: 'marker', transform: `translate(${x.toFixed(2)},${y.toFixed(2)})`, tabindex: 0, role: 'img',
    'aria-label': label, 'data-subject': s.subject }, svg('title', null, label), shape);
  if (s.kind === 'parking') {
    const t = svg('text', { class: 'mk-text', 'text-anchor': 'middle', y: r * 0.45, 'font-size': r * 1.3 });
    t.textContent = 'P';
    g.append(t);
  }
  if (state.subjects.size <= 20 && !state.wholeTown) {
    const t = svg('text', { class: 'label', x: r * 1.5, y: r * 0.45, 'font-size': r * 1.5, style: `stroke-width:${r / 3}px` });
    const delay = s.bus && s.bus.delaySeconds !== null && s.bus.delaySeconds !== undefined ? ` ${fmtDelay(s.bus.delaySeconds).replace(' min', '')}` : '';
    t.textContent = s.kind === 'bus' ? `${(s.bus && s.bus.routeId) || s.id}${delay}` : title(s);
    g.append(t);
  }
  g.addEventListener('keydown', (e) => { if (e.key === 'Enter') focusSubject(s.subject); });
  g.addEventListener('click', () => focusSubject(s.subject));
  if (old) old.replaceWith(g); else layer.append(g);
}

function focusSubject(subject) {
  const target = document.querySelector(`[data-subject="${CSS.escape(subject)}"]:not(#map *):not(#alert-list *)`);
  if (!target) return;
  target.tabIndex = -1;
  target.scrollIntoView({ behavior: 'smooth', block: 'center' });
  target.focus({ preventScroll: true });
}

// Exposed for tests and curious staff: how often the stream resumed and how often it had to start afresh.
window.streamsDashboard = state;

init().catch((e) => {
  setConnection('lost');
  $('banner').hidden = false;
  $('banner').textContent = `Could not load the dashboard: ${e.message}`;
});
