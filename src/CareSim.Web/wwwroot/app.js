// The dashboard: reads only the HTTP API (docs/api.md). The selected run (and authority) is in
// the address (#run=<id>&authority=<code>), so a link opens it. <body data-state> is 'ready'
// once the selected run's charts are drawn ('waiting' while it runs, 'error' if something failed).
'use strict';

const $ = id => document.getElementById(id);
const gradeLayers = [
  { metric: 'grade_p_outstanding', name: 'outstanding', colour: '#1a7f37' },
  { metric: 'grade_p_good', name: 'good', colour: '#7cc48a' },
  { metric: 'grade_p_requires_improvement', name: 'requires improvement', colour: '#f2c14e' },
  { metric: 'grade_p_inadequate', name: 'inadequate', colour: '#d9534f' },
];
const outcomeLabels = {
  months_to_requires_improvement: 'Requires improvement or better',
  months_to_good: 'Good or better',
  months_to_next_inspection: 'Next full inspection',
};
/** The measures the overview can shade the map by: from the outcome CDF (by a date), the outcomes (months) or the totals. */
const overviewMeasures = [
  { key: 'p_good_by', label: 'P(good or better by)', share: true, byDate: true, outcome: 'months_to_good' },
  { key: 'p_ri_by', label: 'P(requires improvement or better by)', share: true, byDate: true, outcome: 'months_to_requires_improvement' },
  { key: 'median_good', label: 'Median months to good', share: false, outcome: 'months_to_good', lowIsGood: true },
  { key: 'median_ri', label: 'Median months to requires improvement', share: false, outcome: 'months_to_requires_improvement', lowIsGood: true },
  { key: 'final_good', label: 'P(graded good or better at the end)', share: true },
  { key: 'cost', label: 'Total cost (GBP m, mean)', share: false, lowIsGood: true },
];
const state = { runs: [], metrics: [], run: null, events: null, strategy: null, comparison: null, strategies: [], tickets: {}, overview: null, sort: { key: 'p_good_by', descending: true } };

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
  const keep = items.some(i => i.value === preferred) ? preferred : items.some(i => i.value === previous) ? previous : items.length ? items[0].value : '';
  select.replaceChildren();
  for (const item of items) option(select, item.value, item.label, item.value === keep);
}

function when(iso) {
  if (!iso) return '';
  return new Date(iso).toISOString().slice(0, 16).replace('T', ' ');
}

function hashParam(name) {
  const match = new RegExp(`${name}=([^&]+)`).exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

function selectedId() {
  const id = hashParam('run');
  return id && /^[0-9a-fA-F]{32}$/.test(id) ? id.toLowerCase() : null;
}

function cell(row, content, cls) {
  const td = document.createElement('td');
  if (content instanceof Node) td.appendChild(content); else td.textContent = content;
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

function metricInfo(name) { return state.metrics.find(m => m.name === name) || { name, label: name, axis_label: name, unit: '', is_share: false }; }

function authorityName(code) { return (state.run && state.run.authority_names && state.run.authority_names[code]) || code; }

// ------------------------------------------------------------------ runs list

async function loadRuns() {
  const list = await api('/api/runs?limit=100');
  state.runs = list.runs;
  const body = $('runs').querySelector('tbody');
  body.replaceChildren();
  for (const run of state.runs) {
    const row = document.createElement('tr');
    row.dataset.runId = run.id;
    if (run.id === selectedId()) row.classList.add('selected');
    const name = document.createElement('div');
    const title = document.createElement('strong');
    title.textContent = run.label || run.scenario || run.id;
    name.appendChild(title);
    const sub = document.createElement('div');
    sub.className = 'sub';
    sub.textContent = [run.label ? run.scenario : null, run.kind === 'comparison' ? 'comparison' : null,
      run.authorities.length > 1 ? `${run.authorities.length} authorities` : authorityName(run.authorities[0] || '') || null].filter(Boolean).join(' · ');
    name.appendChild(sub);
    cell(row, name, 'run-name');
    cell(row, run.replicas ? run.replicas.toLocaleString('en-GB') : '', 'number');
    cell(row, run.seed === null ? '' : String(run.seed), 'number');
    cell(row, run.status === 'running' ? `running ${Math.round(run.progress * 100)}%` : run.status, `status-${run.status}`);
    cell(row, when(run.created));
    row.addEventListener('click', () => { location.hash = `run=${run.id}`; });
    body.appendChild(row);
  }
  $('runs-empty').hidden = state.runs.length > 0;
  $('runs-more').hidden = list.total <= state.runs.length;
  $('runs-more').textContent = `The newest ${state.runs.length} of ${list.total} runs.`;
  if (state.runs.some(r => r.status === 'queued' || r.status === 'running')) setTimeout(() => loadRuns().catch(showError), 3000);
}

// ------------------------------------------------------------------ one run

async function showRun() {
  const id = selectedId();
  if (state.run && state.run.id === id && state.run.status === 'completed' && state.run.kind === 'run') {
    // The same run: only the authority changed (a click on the map or the table).
    const authority = hashParam('authority');
    if (authority && authority !== $('authority').value && state.run.authorities.includes(authority)) {
      $('authority').value = authority;
      await redrawAuthority();
    }
    setState('ready');
    return;
  }
  if (state.events) { state.events.close(); state.events = null; }
  document.querySelectorAll('#runs tbody tr').forEach(tr => tr.classList.toggle('selected', tr.dataset.runId === id));
  $('run').hidden = !id;
  $('run-placeholder').hidden = !!id;
  if (!id) { setState('ready'); return; }
  setState('loading');
  const run = await api(`/api/runs/${id}`);
  state.run = run;
  $('run-title').textContent = run.label || run.scenario || run.id;
  $('run-meta').textContent = [run.label ? run.scenario : null, run.kind === 'comparison' ? 'comparison' : null,
    run.replicas && `${run.replicas.toLocaleString('en-GB')} replicas`, run.seed !== null && `seed ${run.seed}`,
    run.start && `from ${run.start}`, run.history_until && `projection from ${run.history_until}`,
    run.horizon_months && `${run.horizon_months} months`, run.created && `run ${when(run.created)}`, `id ${run.id}`].filter(Boolean).join(' · ');
  $('run-error').hidden = !run.error;
  $('run-error').textContent = run.error || '';
  for (const view of ['comparison-view', 'results-view', 'overview', 'downloads']) $(view).hidden = true;
  if (run.status === 'queued' || run.status === 'running') { follow(run); return; }
  $('run-progress').hidden = true;
  if (run.status !== 'completed') { setState('ready'); return; }
  await drawDownloads(run);
  if (run.kind === 'comparison') await showComparison(run);
  else { state.strategy = null; await Promise.all([showOverview(run), showResults(run)]); }
  setState('ready');
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
  for (const end of ['completed', 'failed', 'cancelled']) {
    events.addEventListener(end, () => { events.close(); state.events = null; state.run = null; loadRuns().catch(showError); showRun().catch(showError); });
  }
  events.onerror = () => { if (events.readyState === EventSource.CLOSED) state.events = null; };
}

/** Download buttons: each table as CSV and Parquet, and the run's other files. */
async function drawDownloads(run) {
  const box = $('download-links');
  box.replaceChildren();
  let files = [];
  try { files = (await api(`/api/runs/${run.id}/files`)).files; } catch { files = []; }
  $('downloads').hidden = files.length === 0;
  for (const f of files) {
    const link = document.createElement('a');
    link.href = f.url;
    link.className = 'button';
    link.setAttribute('download', f.name);
    link.textContent = f.name;
    link.title = `${f.media_type}, ${(f.bytes / 1024).toFixed(0)} KiB`;
    box.appendChild(link);
  }
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
  const metrics = (run.metrics.length ? run.metrics : state.metrics.map(m => m.name)).filter(m => !m.startsWith('grade_p_') && !m.startsWith('judged_p_'));
  const authorities = run.authorities.map(a => ({ value: a, label: `${authorityName(a)} (${a})` })).sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
  fill($('authority'), authorities, hashParam('authority') || run.authorities[0]);
  fill($('metric'), metrics.map(m => ({ value: m, label: metricInfo(m).label })), metrics.includes('practice_quality') ? 'practice_quality' : metrics[0]);
  await redrawAuthority();
}

async function redrawAuthority() {
  $('authority-title').textContent = state.run.authorities.length > 1 ? authorityName($('authority').value) : '';
  await Promise.all([drawFan(), drawGrades(), drawOutcomes(), drawReport()]);
  if (state.overview) drawOverview();
}

async function drawFan() {
  const authority = $('authority').value, metric = $('metric').value;
  const current = ticket('fan');
  const info = metricInfo(metric);
  const [series, observed] = await Promise.all([
    api(seriesUrl(authority, metric)),
    api(`/api/observed?authority=${encodeURIComponent(authority)}&metric=${encodeURIComponent(metric)}`).catch(() => ({ points: [], source: null })),
  ]);
  if (!current()) return;
  $('fan-title').textContent = `${info.axis_label || info.label} — ${authorityName(authority)}${state.strategy ? ` (${state.strategy.name})` : ''}`;
  $('observed-note').textContent = observed.source ? `${observed.source}, at ${observed.reference_day}` : 'none on this server';
  Charts.fan($('fan-chart'), series.points, { unit: info.is_share ? '%' : info.unit, share: info.is_share, observed: observed.points, boundary: state.run.history_until });
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
    swatch.style.background = l.colour;
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
    const months = v => (v === null ? `beyond the run (${o.horizon_months} months)` : `${Math.round(v)} months`);
    for (const content of [outcomeLabels[o.outcome] || o.outcome.replaceAll('_', ' '), `${Math.round(o.share_within_horizon * 100)}% of futures`, months(o.p25), months(o.p50), months(o.p75)])
      cell(row, content);
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

// ------------------------------------------------------------------ overview across authorities

function monthsBetween(from, to) {
  const [fy, fm] = from.split('-').map(Number), [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + tm - fm;
}

function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + m - 1 + n;
  return `${Math.floor(total / 12)}-${String(total % 12 + 1).padStart(2, '0')}`;
}

async function showOverview(run) {
  state.overview = null;
  if (run.authorities.length < 2) return;
  const [cdf, outcomes, totals, hexmap] = await Promise.all([api(`/api/runs/${run.id}/outcome-cdf`), api(`/api/runs/${run.id}/outcomes`),
    api(`/api/runs/${run.id}/totals`), api(`/api/runs/${run.id}/hexmap`)]);
  const byAuthority = {};
  for (const a of run.authorities) byAuthority[a] = { cdf: {}, outcomes: {}, totals: null };
  for (const p of cdf.points) { const a = byAuthority[p.authority]; if (a) (a.cdf[p.outcome] = a.cdf[p.outcome] || [])[p.months] = p.share_reached; }
  for (const o of outcomes.outcomes) if (byAuthority[o.authority]) byAuthority[o.authority].outcomes[o.outcome] = o;
  for (const t of totals.totals) if (byAuthority[t.authority]) byAuthority[t.authority].totals = t;
  state.overview = { byAuthority, cells: hexmap.cells };

  // Dates: each December of the outcome window, and its last month.
  const from = run.outcomes_from || run.start, last = addMonths(run.start, run.horizon_months - 1);
  const dates = [];
  for (let m = from; monthsBetween(m, last) >= 0; m = addMonths(m, 1)) if (m.endsWith('-12') || m === last) dates.push(m);
  fill($('overview-date'), dates.map(d => ({ value: d, label: d })), dates[dates.length - 1]);
  fill($('overview-measure'), overviewMeasures.map(m => ({ value: m.key, label: m.label })), state.sort.key);
  $('overview').hidden = false;
  drawOverview();
}

/** The value of an overview measure for one authority (null when there is none). */
function measureValue(measure, code) {
  const a = state.overview.byAuthority[code];
  const run = state.run;
  if (!a) return null;
  if (measure.byDate) {
    const shares = a.cdf[measure.outcome] || [];
    const m = Math.min(shares.length - 1, monthsBetween(run.outcomes_from || run.start, $('overview-date').value));
    return m >= 0 && shares[m] !== undefined ? shares[m] : null;
  }
  if (measure.key === 'median_good' || measure.key === 'median_ri') {
    const o = a.outcomes[measure.outcome];
    return o ? o.p50 : null;
  }
  if (!a.totals) return null;
  if (measure.key === 'final_good') return a.totals.final_p_good === null || a.totals.final_p_outstanding === null ? null : a.totals.final_p_good + a.totals.final_p_outstanding;
  return a.totals.mean_total_cost_gbp_m;
}

function measureLabel(measure) { return measure.byDate ? `${measure.label} ${$('overview-date').value}` : measure.label; }

function drawOverview() {
  const measure = overviewMeasures.find(m => m.key === $('overview-measure').value) || overviewMeasures[0];
  $('overview-date-box').hidden = !measure.byDate;
  const values = {};
  for (const code of state.run.authorities) values[code] = measureValue(measure, code);
  Charts.hexmap($('hexmap'), state.overview.cells, values, {
    share: measure.share, label: measureLabel(measure), selected: $('authority').value,
    onSelect: code => { location.hash = `run=${state.run.id}&authority=${code}`; },
  });
  $('hexmap-note').textContent = `${measureLabel(measure)}. One hex per authority, gathered by region (positions within a region are alphabetical, not geographic). Click one to open it.`;
  drawLeague();
}

/** The league table: every authority with the overview's measures, sorted by a clicked column. */
function drawLeague() {
  const columns = [{ key: 'name', label: 'Authority' }, { key: 'region', label: 'Region' }, ...overviewMeasures.map(m => ({ key: m.key, label: measureLabel(m), measure: m }))];
  const head = $('league').querySelector('thead tr');
  head.replaceChildren();
  for (const c of columns) {
    const th = document.createElement('th');
    th.textContent = c.label + (state.sort.key === c.key ? (state.sort.descending ? ' ▼' : ' ▲') : '');
    th.dataset.sort = c.key;
    th.tabIndex = 0;
    th.addEventListener('click', () => {
      state.sort = { key: c.key, descending: state.sort.key === c.key ? !state.sort.descending : !!c.measure && !c.measure.lowIsGood };
      drawLeague();
    });
    head.appendChild(th);
  }
  const rows = state.run.authorities.map(code => ({
    code, name: authorityName(code), region: (state.run.authority_regions || {})[code] || '',
    ...Object.fromEntries(overviewMeasures.map(m => [m.key, measureValue(m, code)])),
  }));
  const key = state.sort.key, sign = state.sort.descending ? -1 : 1;
  rows.sort((a, b) => {
    const x = a[key], y = b[key];
    if (x === null || x === undefined) return y === null || y === undefined ? a.name.localeCompare(b.name) : 1;
    if (y === null || y === undefined) return -1;
    return (typeof x === 'string' ? x.localeCompare(y, 'en-GB') : x - y) * sign || a.name.localeCompare(b.name, 'en-GB');
  });
  const body = $('league').querySelector('tbody');
  body.replaceChildren();
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.code = r.code;
    if (r.code === $('authority').value) tr.classList.add('selected');
    cell(tr, r.name);
    cell(tr, r.region);
    for (const m of overviewMeasures) {
      const v = r[m.key];
      cell(tr, v === null || v === undefined ? (m.key.startsWith('median') ? 'beyond the run' : '–') : m.share ? Charts.format(v, true) : m.key === 'cost' ? v.toFixed(1) : String(Math.round(v)), 'number');
    }
    tr.addEventListener('click', () => { location.hash = `run=${state.run.id}&authority=${r.code}`; });
    body.appendChild(tr);
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
  fill($('comparison-authority'), authorities.map(a => ({ value: a, label: a === 'all' ? 'All authorities' : authorityName(a) })), authorities[0]);
  fill($('comparison-measure'), measures.map(m => ({ value: m, label: m.replaceAll('_', ' ') })), measures.includes('p_good_by_end') ? 'p_good_by_end' : measures[0]);
  fill($('strategy'), state.strategies.map(s => ({ value: s.name, label: s.name.replaceAll('_', ' ') })), state.strategies.length ? state.strategies[0].name : '');
  drawComparison();
  state.strategy = state.strategies.find(s => s.name === $('strategy').value) || null;
  if (state.strategy) await showResults(run);
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
  $('authority').addEventListener('change', () => {
    if (state.run && state.run.kind === 'run') history.replaceState(null, '', `#run=${state.run.id}&authority=${$('authority').value}`);
    redraw([redrawAuthority]);
  });
  $('metric').addEventListener('change', () => redraw([drawFan]));
  $('overview-measure').addEventListener('change', () => { state.sort = { key: $('overview-measure').value, descending: !(overviewMeasures.find(m => m.key === $('overview-measure').value) || {}).lowIsGood }; drawOverview(); });
  $('overview-date').addEventListener('change', drawOverview);
  $('comparison-authority').addEventListener('change', drawComparison);
  $('comparison-measure').addEventListener('change', drawComparison);
  $('strategy').addEventListener('change', () => {
    state.strategy = state.strategies.find(s => s.name === $('strategy').value) || null;
    redraw([drawFan, drawGrades, drawOutcomes, drawReport]);
  });
  window.addEventListener('hashchange', () => {
    setState('loading');
    showRun().catch(showError);
    if (hashParam('authority')) $('results-view').scrollIntoView({ block: 'start' });
  });
  try {
    state.metrics = await api('/api/metrics');
    await loadRuns();
    await showRun();
  } catch (error) {
    showError(error);
  }
});
