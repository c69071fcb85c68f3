// Charts drawn as SVG by hand (no libraries, nothing from the network). Each chart sets
// data-rendered (its kind) and data-points (how many values it drew) on its <svg> when drawn.
'use strict';

const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const colours = { band90: '#c9dbf0', band50: '#8fb3de', median: '#1f5fa8', mean: '#333333', grid: '#e3e8ee', axis: '#9aa5b1' };

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, attrs) {
    const node = el('text', Object.assign({ x, y }, attrs || {}), parent);
    node.textContent = content;
    return node;
  }

  function reset(svg, height) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const width = Math.max(320, Math.round(svg.getBoundingClientRect().width || 800));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    svg.setAttribute('height', height);
    delete svg.dataset.rendered;
    delete svg.dataset.points;
    return width;
  }

  function scale(d0, d1, r0, r1) {
    const span = d1 - d0 || 1;
    return v => r0 + (v - d0) / span * (r1 - r0);
  }

  function ticks(min, max, count) {
    if (!(max > min)) { max = min + 1; }
    const raw = (max - min) / count;
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(s => s * power).find(s => s >= raw);
    // From the step at or below min to the step at or above max, so every value is inside the axis.
    const out = [];
    const last = Math.ceil(max / step - 1e-9) * step;
    for (let v = Math.floor(min / step + 1e-9) * step; v <= last + step * 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }

  function format(v, share) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    if (share) return `${(v * 100).toFixed(Math.abs(v) < 0.1 ? 1 : 0)}%`;
    const a = Math.abs(v);
    if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(1);
    return (+v.toPrecision(3)).toLocaleString('en-GB');
  }

  // ------------------------------------------------------------------ tooltip (one for the page)

  function tooltip(event, lines) {
    const box = document.getElementById('tooltip');
    if (!box) return;
    if (!lines) { box.hidden = true; return; }
    box.replaceChildren();
    lines.forEach((line, i) => {
      const row = document.createElement(i === 0 ? 'strong' : 'div');
      row.textContent = line;
      box.appendChild(row);
    });
    box.hidden = false;
    const x = Math.min(event.pageX + 14, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8);
    box.style.left = `${x}px`;
    box.style.top = `${event.pageY + 14}px`;
  }

  function axes(svg, width, height, m, x, y, yTicks, months, share) {
    const g = el('g', { class: 'axes' }, svg);
    for (const t of yTicks) {
      el('line', { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t), stroke: colours.grid }, g);
      text(g, m.left - 6, y(t) + 4, format(t, share), { 'text-anchor': 'end' });
    }
    el('line', { x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom, stroke: colours.axis }, g);
    const every = Math.max(1, Math.ceil(months.length / Math.max(2, Math.floor((width - m.left - m.right) / 70))));
    months.forEach((month, i) => {
      if (i % every !== 0) return;
      el('line', { x1: x(i), x2: x(i), y1: height - m.bottom, y2: height - m.bottom + 4, stroke: colours.axis }, g);
      text(g, x(i), height - m.bottom + 16, month, { 'text-anchor': 'middle' });
    });
  }

  function path(points) {
    return points.map((p, i) => `${i ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`).join('');
  }

  // x: the pixel of point i of the series.
  function band(svg, x, y, points, lo, hi, fill, name) {
    const usable = points.map((p, i) => [i, p[lo], p[hi]]).filter(p => p[1] !== null && p[2] !== null);
    if (usable.length === 0) return;
    const d = path(usable.map(p => [x(p[0]), y(p[2])]).concat(usable.slice().reverse().map(p => [x(p[0]), y(p[1])]))) + 'Z';
    el('path', { d, fill, stroke: 'none', 'data-series': name }, svg);
  }

  function line(svg, x, y, points, key, stroke, name, dash) {
    const usable = points.map((p, i) => [i, p[key]]).filter(p => p[1] !== null && p[1] !== undefined);
    if (usable.length === 0) return;
    const attrs = { d: path(usable.map(p => [x(p[0]), y(p[1])])), fill: 'none', stroke, 'stroke-width': 2, 'data-series': name };
    if (dash) attrs['stroke-dasharray'] = dash;
    el('path', attrs, svg);
  }

  /** A month 'YYYY-MM' as a number of months, to place dates between the months of a chart. */
  function monthIndex(month) {
    const [y, m] = month.split('-').map(Number);
    return y * 12 + m - 1;
  }

  /**
   * Fan chart: 5-95% and 25-75% bands, median and mean, month by month; official figures as
   * points; the month where history ends and the projection starts as a dashed line; values on hover.
   * points: [{month, mean, p05, ..., p95}]; opts: {unit, share, observed: [{date, month, value}], boundary: 'YYYY-MM'}
   */
  function fan(svg, points, opts) {
    const o = opts || {};
    const height = 320;
    const width = reset(svg, height);
    const m = { left: 60, right: 16, top: 26, bottom: 28 };
    if (points.length === 0) { svg.dataset.rendered = 'fan'; svg.dataset.points = '0'; return; }
    // The chart spans the run and, before it, up to four years of official figures: history, then the projection.
    const start = monthIndex(points[0].month), last = monthIndex(points[points.length - 1].month);
    const observed = (o.observed || []).filter(p => Number.isFinite(p.value) && monthIndex(p.month) >= start - 48 && monthIndex(p.month) <= last);
    const origin = Math.min(start, ...observed.map(p => monthIndex(p.month)));
    const offset = start - origin;
    const months = Array.from({ length: last - origin + 1 }, (_, i) => { const t = origin + i; return `${Math.floor(t / 12)}-${String(t % 12 + 1).padStart(2, '0')}`; });
    const values = points.flatMap(p => [p.p05, p.p95, p.mean]).concat(observed.map(p => p.value)).filter(v => v !== null && Number.isFinite(v));
    let min = Math.min(...values), max = Math.max(...values);
    if (!Number.isFinite(min)) { min = 0; max = 1; }
    if (min === max) { min -= 1; max += 1; }
    const yTicks = ticks(min, max, 5);
    const x = scale(0, Math.max(1, months.length - 1), m.left, width - m.right);
    const xAt = i => x(offset + i);
    const y = scale(yTicks[0], yTicks[yTicks.length - 1], height - m.bottom, m.top);
    axes(svg, width, height, m, x, y, yTicks, months, o.share);
    band(svg, xAt, y, points, 'p05', 'p95', colours.band90, 'p05-p95');
    band(svg, xAt, y, points, 'p25', 'p75', colours.band50, 'p25-p75');
    line(svg, xAt, y, points, 'p50', colours.median, 'median');
    line(svg, xAt, y, points, 'mean', colours.mean, 'mean', '5 4');
    // History ends where the scenario's history_until is, or (for a run that starts from the data) where the run starts.
    const boundary = o.boundary && monthIndex(o.boundary) > start && monthIndex(o.boundary) <= last ? monthIndex(o.boundary) : start;
    if (boundary > origin) {
      const bx = x(boundary - origin - 0.5);
      el('line', { x1: bx, x2: bx, y1: m.top - 14, y2: height - m.bottom, stroke: '#7a5c00', 'stroke-width': 1.5, 'stroke-dasharray': '6 3', 'data-series': 'boundary' }, svg);
      text(svg, bx - 4, m.top - 4, 'history', { 'text-anchor': 'end', class: 'boundary-label' });
      text(svg, bx + 4, m.top - 4, 'projection', { 'text-anchor': 'start', class: 'boundary-label' });
    }
    for (const p of observed) {
      el('circle', { cx: x(monthIndex(p.month) - origin), cy: y(p.value), r: 4.5, fill: '#ffffff', stroke: '#b42318', 'stroke-width': 2, 'data-series': 'observed', 'data-month': p.month }, svg);
    }
    if (o.unit) text(svg, 4, 12, o.unit, { 'text-anchor': 'start', class: 'unit' });

    // Hover: the nearest month's values.
    const guide = el('line', { y1: m.top, y2: height - m.bottom, stroke: '#555555', 'stroke-width': 1, visibility: 'hidden' }, svg);
    const overlay = el('rect', { x: m.left, y: m.top, width: width - m.left - m.right, height: height - m.top - m.bottom, fill: 'transparent', 'data-hover': 'fan' }, svg);
    overlay.addEventListener('mousemove', event => {
      const box = svg.getBoundingClientRect();
      const px = (event.clientX - box.left) * (width / box.width);
      const k = Math.max(0, Math.min(months.length - 1, Math.round((px - m.left) / ((width - m.left - m.right) / Math.max(1, months.length - 1)))));
      guide.setAttribute('x1', x(k)); guide.setAttribute('x2', x(k)); guide.setAttribute('visibility', 'visible');
      const f = v => format(v, o.share);
      const lines = [months[k]];
      const p = points[k - offset];
      if (p) lines.push(`median ${f(p.p50)}`, `mean ${f(p.mean)}`, `25-75%: ${f(p.p25)} to ${f(p.p75)}`, `5-95%: ${f(p.p05)} to ${f(p.p95)}`);
      for (const obs of observed.filter(q => q.month === months[k])) lines.push(`official figure (${obs.date}): ${f(obs.value)}`);
      lines.push(origin + k < boundary ? 'history' : 'projection');
      tooltip(event, lines);
    });
    overlay.addEventListener('mouseleave', () => { guide.setAttribute('visibility', 'hidden'); tooltip(null, null); });
    svg.dataset.points = String(points.length);
    svg.dataset.observed = String(observed.length);
    svg.dataset.rendered = 'fan';
  }

  /** Stacked areas of probabilities that add up to 1 (grades). layers: [{name, colour, values}] over months. */
  function stacked(svg, months, layers) {
    const height = 260;
    const width = reset(svg, height);
    const m = { left: 56, right: 16, top: 12, bottom: 28 };
    const x = scale(0, Math.max(1, months.length - 1), m.left, width - m.right);
    const y = scale(0, 1, height - m.bottom, m.top);
    axes(svg, width, height, m, x, y, [0, 0.25, 0.5, 0.75, 1], months, true);
    const base = months.map(() => 0);
    let drawn = 0;
    for (const layer of layers) {
      const top = base.map((b, i) => b + (layer.values[i] || 0));
      const d = path(top.map((v, i) => [x(i), y(Math.min(1, v))]).concat(base.map((v, i) => [x(i), y(Math.min(1, v))]).reverse())) + 'Z';
      el('path', { d, fill: layer.colour, stroke: '#ffffff', 'stroke-width': 0.5, 'data-series': layer.name }, svg);
      top.forEach((v, i) => { base[i] = v; });
      drawn += layer.values.length;
    }
    svg.dataset.points = String(drawn);
    svg.dataset.rendered = 'stacked';
  }

  /** Differences from the baseline with 95% interval bars, one row per strategy. rows: comparison rows of one authority and measure. */
  function intervals(svg, rows, unit) {
    const rowHeight = 34;
    const m = { left: 150, right: 110, top: 24, bottom: 26 };
    const height = m.top + m.bottom + Math.max(1, rows.length) * rowHeight;
    const width = reset(svg, height);
    const values = rows.flatMap(r => [r.ci_low, r.ci_high, r.difference]).filter(v => v !== null && Number.isFinite(v)).concat([0]);
    let min = Math.min(...values), max = Math.max(...values);
    if (min === max) { min -= 1; max += 1; }
    const xTicks = ticks(min, max, 5);
    const x = scale(xTicks[0], xTicks[xTicks.length - 1], m.left, width - m.right);
    for (const t of xTicks) {
      el('line', { x1: x(t), x2: x(t), y1: m.top - 6, y2: height - m.bottom, stroke: colours.grid }, svg);
      text(svg, x(t), height - m.bottom + 16, format(t), { 'text-anchor': 'middle' });
    }
    el('line', { x1: x(0), x2: x(0), y1: m.top - 6, y2: height - m.bottom, stroke: '#555555', 'stroke-width': 1.5 }, svg);
    text(svg, width - m.right + 6, m.top - 8, 'beats baseline', { 'text-anchor': 'start' });
    if (unit) text(svg, m.left, m.top - 8, `difference (${unit})`, { 'text-anchor': 'start' });
    rows.forEach((r, i) => {
      const cy = m.top + i * rowHeight + rowHeight / 2;
      text(svg, m.left - 8, cy + 4, `${r.rank}. ${r.strategy}`, { 'text-anchor': 'end' });
      if (r.ci_low !== null && r.ci_high !== null)
        el('rect', { x: x(Math.min(r.ci_low, r.ci_high)), y: cy - 7, width: Math.max(1.5, Math.abs(x(r.ci_high) - x(r.ci_low))), height: 14,
          fill: colours.band50, 'data-series': 'ci', 'data-strategy': r.strategy }, svg);
      if (r.difference !== null)
        el('circle', { cx: x(r.difference), cy, r: 4.5, fill: colours.median, 'data-series': 'difference', 'data-strategy': r.strategy }, svg);
      text(svg, width - m.right + 6, cy + 4, r.p_beats_baseline === null ? '' : `${Math.round(r.p_beats_baseline * 100)}%`, { 'text-anchor': 'start' });
    });
    svg.dataset.points = String(rows.length);
    svg.dataset.rendered = 'intervals';
  }

  // ------------------------------------------------------------------ hex map

  function shade(t) {
    // Light to dark blue, t in 0..1.
    const from = [236, 242, 250], to = [8, 48, 107];
    return `rgb(${from.map((c, i) => Math.round(c + (to[i] - c) * t)).join(',')})`;
  }

  /**
   * Draws the hex map. cells: [{code, name, region, column, row}] (GET /api/runs/{id}/hexmap); values: code -> number or null; opts: {share, label,
   * lowIsGood, selected, onSelect(code)}. Each hex has data-code and data-value; null is grey.
   */
  function hexmap(svg, cells, values, opts) {
    const o = opts || {};
    const size = 13, w = Math.sqrt(3) * size, h = 1.5 * size;
    const cols = Math.max(...cells.map(c => c.column)) + 2, rows = Math.max(...cells.map(c => c.row)) + 2;
    const legendHeight = 40;
    const width = Math.ceil(cols * w + w / 2 + 8), height = Math.ceil(rows * h + size + legendHeight);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    delete svg.dataset.rendered;
    const known = cells.map(c => values[c.code]).filter(v => v !== null && v !== undefined && Number.isFinite(v));
    let lo = o.share ? 0 : Math.min(...known), hi = o.share ? 1 : Math.max(...known);
    if (!(hi > lo)) { lo = Math.min(lo, 0); hi = lo + 1; }
    const t = v => (v - lo) / (hi - lo);
    const corner = (cx, cy) => Array.from({ length: 6 }, (_, k) => {
      const a = Math.PI / 180 * (60 * k - 30);
      return `${(cx + size * Math.cos(a)).toFixed(1)},${(cy + size * Math.sin(a)).toFixed(1)}`;
    }).join(' ');
    for (const c of cells) {
      const cx = 4 + w / 2 + c.column * w + (c.row & 1 ? w / 2 : 0), cy = size + c.row * h;
      const v = values[c.code];
      const has = v !== null && v !== undefined && Number.isFinite(v);
      const hex = el('polygon', {
        points: corner(cx, cy), fill: has ? shade(Math.max(0, Math.min(1, t(v)))) : '#d0d5db', stroke: c.code === o.selected ? '#d9480f' : '#ffffff',
        'stroke-width': c.code === o.selected ? 2.5 : 1, 'data-code': c.code, 'data-value': has ? String(v) : '', class: 'hex', tabindex: 0,
      }, svg);
      const describe = () => [c.name, c.region, `${o.label || ''}: ${has ? format(v, o.share) : 'no value'}`];
      hex.addEventListener('mousemove', event => tooltip(event, describe()));
      hex.addEventListener('mouseleave', () => tooltip(null, null));
      hex.addEventListener('click', () => o.onSelect && o.onSelect(c.code));
      hex.addEventListener('keydown', event => { if (event.key === 'Enter' && o.onSelect) o.onSelect(c.code); });
    }
    // Legend: the colour scale from its low end to its high end.
    const lx = 8, ly = height - legendHeight + 8, lw = Math.min(220, width - 16);
    for (let k = 0; k < 20; k++) el('rect', { x: lx + k * lw / 20, y: ly, width: lw / 20 + 0.5, height: 10, fill: shade(k / 19) }, svg);
    text(svg, lx, ly + 24, format(lo, o.share), { 'text-anchor': 'start' });
    text(svg, lx + lw, ly + 24, format(hi, o.share), { 'text-anchor': 'end' });
    el('rect', { x: lx + lw + 16, y: ly, width: 12, height: 10, fill: '#d0d5db' }, svg);
    text(svg, lx + lw + 32, ly + 9, 'no value', { 'text-anchor': 'start' });
    svg.dataset.hexes = String(cells.length);
    svg.dataset.rendered = 'hexmap';
  }

  return { fan, stacked, intervals, hexmap, format, tooltip };
})();
