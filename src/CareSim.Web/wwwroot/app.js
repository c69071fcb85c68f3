// The dashboard: reads only the HTTP API (docs/api.md). The selected run is in the address
// (#run=<id>), so a link opens it. <body data-state> is 'ready' once the selected run's charts
// are drawn ('waiting' while it runs, 'error' if something failed).
'use strict';

const $ = id => document.getElementById(id);
const gradeLayers = [
  { metric: 'grade_p_outstanding', name: 'outstanding', colour: '#1a7f37' },
  { metric: 'grade_p_good', name: 'good', colour: '#7cc48a' },
  { metric: 'grade_p_requires_improvement', name: 'requires improvement', colour: '#f2c14e' },
  { metric: 'grade_p_inadequate', name: 'inadequate', colour: '#d9534f' },
];
const state = { runs: [], metrics: [], run: null, events: null, strategy: null, comparison: null, strategies: [], tickets: {} };

/** A ticket for a drawing; only the latest drawing of each kind may draw (responses can arrive out of order). */
function ticket(kind) {
  state.tickets[kind] = (state.tickets[kind] || 0) + 1;
  const mine = state.tickets[kind];
  return () => state.tickets[kind] === mine;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error((body && (body.detail || body.title)) || `${response.status} ${response.statusText}`);
  return body;
}

function setState(value) { document.body.dataset.state = value; }

function option(select, value, label, selected) {
  const node = document.createElement('option');
  node.value = value;
  node.textContent = label;
  if (selected) node.selected = true;
  select.appendChild(node);
}

function fill(select, items, preferred) {
  const previous = select.value;
  select.replaceChildren();
  for (const item of items) option(select, item.value, item.label, item.value === (items.some(i => i.value === previous) ? previous : preferred));
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

function selectedId() {
  const match = /run=([0-9a-fA-F]{32})/.exec(location.hash);
  return match ? match[1].toLowerCase() : null;
}

// ------------------------------------------------------------------ runs list

async function loadRuns() {
  const list = await api('/api/runs');
  state.runs = list.runs;
  const body = $('runs').querySelector('tbody');
  body.replaceChildren();
  for (const run of state.runs) {
    const row = document.createElement('tr');
    row.dataset.runId = run.id;
    if (run.id === selectedId()) row.classList.add('selected');
    const status = run.status === 'running' ? `running ${Math.round(run.progress * 100)}%` : run.status;
    for (const [content, cls] of [[run.scenario || run.id, ''], [run.kind, ''], [status, `status-${run.status}`], [when(run.created), '']]) {
      const cell = document.createElement('td');
      cell.textContent = content;
      if (cls) cell.className = cls;
      row.appendChild(cell);
    }
    row.addEventListener('click', () => { location.hash = `run=${run.id}`; });
    body.appendChild(row);
  }
  $('runs-empty').hidden = state.runs.length > 0;
  if (state.runs.some(r => r.status === 'queued' || r.status === 'running')) setTimeout(() => loadRuns().catch(showError), 3000);
}

// ------------------------------------------------------------------ one run

async function showRun() {
  const id = selectedId();
  if (state.events) { state.events.close(); state.events = null; }
  document.querySelectorAll('#runs tbody tr').forEach(tr => tr.classList.toggle('selected', tr.dataset.runId === id));
  $('run').hidden = !id;
  $('run-placeholder').hidden = !!id;
  if (!id) { setState('ready'); return; }
  setState('loading');
  const run = await api(`/api/runs/${id}`);
  state.run = run;
  $('run-title').textContent = run.scenario || run.id;
  $('run-meta').textContent = [run.kind, run.replicas && `${run.replicas.toLocaleString('en-GB')} replicas`, run.start && `from ${run.start}`,
    run.horizon_months && `${run.horizon_months} months`, run.engine && `engine ${run.engine}`, `id ${run.id}`].filter(Boolean).join(' · ');
  $('run-error').hidden = !run.error;
  $('run-error').textContent = run.error || '';
  $('comparison-view').hidden = true;
  $('results-view').hidden = true;
  if (run.status === 'queued' || run.status === 'running') { follow(run); return; }
  $('run-progress').hidden = true;
  if (run.status !== 'completed') { setState('ready'); return; }
  if (run.kind === 'comparison') await showComparison(run);
  else { state.strategy = null; await showResults(run); }
}

/** Follows a queued or running run through its Server-Sent Events, then shows it. */
function follow(run) {
  setState('waiting');
  const bar = $('run-progress');
  bar.hidden = false;
  const update = r => {
    bar.querySelector('progress').value = r.progress;
    bar.querySelector('span').textContent = `${r.status} ${Math.round(r.progress * 100)}%`;
  };
  update(run);
  const events = new EventSource(`/api/runs/${run.id}/events`);
  state.events = events;
  events.addEventListener('status', e => update(JSON.parse(e.data)));
  for (const end of ['completed', 'failed']) {
    events.addEventListener(end, () => { events.close(); state.events = null; loadRuns().catch(showError); showRun().catch(showError); });
  }
  events.onerror = () => { if (events.readyState === EventSource.CLOSED) state.events = null; };
}

function seriesUrl(authority, metric) {
  const q = `authority=${encodeURIComponent(authority)}&metric=${encodeURIComponent(metric)}`;
  const s = state.strategy;
  if (s && s.run_id) return `/api/runs/${s.run_id}/series?${q}`;
  if (s) return `/api/runs/${state.run.id}/strategies/${encodeURIComponent(s.name)}/series?${q}`;
  return `/api/runs/${state.run.id}/series?${q}`;
}

async function showResults(run) {
  $('results-view').hidden = false;
  const metrics = run.metrics.length ? run.metrics : state.metrics.map(m => m.name);
  fill($('authority'), run.authorities.map(a => ({ value: a, label: a })), run.authorities[0]);
  fill($('metric'), metrics.map(m => ({ value: m, label: m })), metrics.includes('practice_quality') ? 'practice_quality' : metrics[0]);
  await Promise.all([drawFan(), drawGrades(), drawOutcomes(), drawReport()]);
  setState('ready');
}

async function drawFan() {
  const authority = $('authority').value, metric = $('metric').value;
  const current = ticket('fan');
  const series = await api(seriesUrl(authority, metric));
  if (!current()) return;
  $('fan-title').textContent = `${metric} — ${authority}${state.strategy ? ` (${state.strategy.name})` : ''}`;
  Charts.fan($('fan-chart'), series.points, series.unit);
}

async function drawGrades() {
  const authority = $('authority').value;
  const available = state.run.metrics.length === 0 || gradeLayers.every(l => state.run.metrics.includes(l.metric));
  const svg = $('grade-chart');
  if (!available) { svg.replaceChildren(); $('grade-key').textContent = 'This run did not record the grade probabilities.'; return; }
  const current = ticket('grades');
  const series = await Promise.all(gradeLayers.map(l => api(seriesUrl(authority, l.metric))));
  if (!current()) return;
  Charts.stacked(svg, series[0].points.map(p => p.month), gradeLayers.map((l, i) => ({ name: l.name, colour: l.colour, values: series[i].points.map(p => p.mean) })));
  const key = $('grade-key');
  key.replaceChildren();
  for (const l of gradeLayers.slice().reverse()) {
    const swatch = document.createElement('span');
    swatch.className = 'key';
    swatch.dataset.grade = l.name;
    const svgKey = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svgKey.setAttribute('width', '14'); svgKey.setAttribute('height', '10');
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('width', '14'); rect.setAttribute('height', '10'); rect.setAttribute('fill', l.colour);
    svgKey.appendChild(rect);
    swatch.appendChild(svgKey);
    key.appendChild(swatch);
    key.appendChild(document.createTextNode(l.name));
  }
}

async function drawOutcomes() {
  const table = $('outcomes');
  const body = table.querySelector('tbody');
  body.replaceChildren();
  const s = state.strategy;
  $('outcomes-box').hidden = !!(s && !s.run_id);
  if (s && !s.run_id) return;
  const id = s ? s.run_id : state.run.id;
  const authority = $('authority').value;
  const current = ticket('outcomes');
  const outcomes = (await api(`/api/runs/${id}/outcomes`)).outcomes.filter(o => o.authority === authority);
  if (!current()) return;
  body.replaceChildren();
  for (const o of outcomes) {
    const row = document.createElement('tr');
    const months = v => (v === null ? `> ${o.horizon_months}` : String(Math.round(v)));
    for (const content of [o.outcome.replaceAll('_', ' '), `${Math.round(o.share_within_horizon * 100)}%`, months(o.p25), months(o.p50), months(o.p75)]) {
      const cell = document.createElement('td');
      cell.textContent = content;
      row.appendChild(cell);
    }
    body.appendChild(row);
  }
}

async function drawReport() {
  const files = state.strategy ? [] : (await api(`/api/runs/${state.run.id}/report`)).files.filter(f => /\.(png|svg)$/i.test(f.name));
  const box = $('report-files');
  box.replaceChildren();
  $('report').hidden = files.length === 0;
  for (const f of files) {
    const img = document.createElement('img');
    img.src = f.url;
    img.alt = f.name;
    box.appendChild(img);
  }
}

// ------------------------------------------------------------------ comparisons

async function showComparison(run) {
  $('comparison-view').hidden = false;
  const [comparison, strategies] = await Promise.all([api(`/api/runs/${run.id}/comparison`), api(`/api/runs/${run.id}/strategies`)]);
  state.comparison = comparison.rows;
  state.strategies = strategies.strategies;
  const authorities = [...new Set(comparison.rows.map(r => r.authority))];
  const measures = [...new Set(comparison.rows.map(r => r.measure))];
  fill($('comparison-authority'), authorities.map(a => ({ value: a, label: a })), authorities[0]);
  fill($('comparison-measure'), measures.map(m => ({ value: m, label: m })), measures.includes('p_good_by_end') ? 'p_good_by_end' : measures[0]);
  fill($('strategy'), state.strategies.map(s => ({ value: s.name, label: s.name })), state.strategies.length ? state.strategies[0].name : '');
  drawComparison();
  state.strategy = state.strategies.find(s => s.name === $('strategy').value) || null;
  if (state.strategy) await showResults(run);
  else setState('ready');
}

function drawComparison() {
  const authority = $('comparison-authority').value, measure = $('comparison-measure').value;
  const rows = state.comparison.filter(r => r.authority === authority && r.measure === measure && r.strategy !== 'baseline')
    .sort((a, b) => a.rank - b.rank);
  Charts.intervals($('comparison-chart'), rows, rows.length ? rows[0].unit : '');
}

// ------------------------------------------------------------------ wiring

function showError(error) {
  setState('error');
  const box = $('run-error');
  box.hidden = false;
  box.textContent = String(error.message || error);
}

function redraw(parts) {
  setState('loading');
  const current = ticket('redraw');
  Promise.all(parts.map(p => p())).then(() => { if (current()) setState('ready'); }, showError);
}

document.addEventListener('DOMContentLoaded', async () => {
  $('authority').addEventListener('change', () => redraw([drawFan, drawGrades, drawOutcomes]));
  $('metric').addEventListener('change', () => redraw([drawFan]));
  $('comparison-authority').addEventListener('change', drawComparison);
  $('comparison-measure').addEventListener('change', drawComparison);
  $('strategy').addEventListener('change', () => {
    state.strategy = state.strategies.find(s => s.name === $('strategy').value) || null;
    redraw([drawFan, drawGrades, drawOutcomes, drawReport]);
  });
  window.addEventListener('hashchange', () => showRun().catch(showError));
  try {
    state.metrics = await api('/api/metrics');
    await loadRuns();
    await showRun();
  } catch (error) {
    showError(error);
  }
});
