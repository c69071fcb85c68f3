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

  function format(v) {
    const a = Math.abs(v);
    if (a !== 0 && (a < 0.01 || a >= 1e5)) return v.toExponential(1);
    return (+v.toPrecision(3)).toString();
  }

  function axes(svg, width, height, m, x, y, yTicks, months) {
    const g = el('g', { class: 'axes' }, svg);
    for (const t of yTicks) {
      el('line', { x1: m.left, x2: width - m.right, y1: y(t), y2: y(t), stroke: colours.grid }, g);
      text(g, m.left - 6, y(t) + 4, format(t), { 'text-anchor': 'end' });
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

  /** Fan chart: 5-95% and 25-75% bands, median and mean, month by month. points: [{month, mean, p05, ..., p95}] */
  function fan(svg, points, unit) {
    const height = 300;
    const width = reset(svg, height);
    const m = { left: 56, right: 16, top: 24, bottom: 28 };
    const values = points.flatMap(p => [p.p05, p.p95, p.mean]).filter(v => v !== null && Number.isFinite(v));
    let min = Math.min(...values), max = Math.max(...values);
    if (min === max) { min -= 1; max += 1; }
    const yTicks = ticks(min, max, 5);
    const x = scale(0, Math.max(1, points.length - 1), m.left, width - m.right);
    const y = scale(yTicks[0], yTicks[yTicks.length - 1], height - m.bottom, m.top);
    axes(svg, width, height, m, x, y, yTicks, points.map(p => p.month));
    band(svg, x, y, points, 'p05', 'p95', colours.band90, 'p05-p95');
    band(svg, x, y, points, 'p25', 'p75', colours.band50, 'p25-p75');
    line(svg, x, y, points, 'p50', colours.median, 'median');
    line(svg, x, y, points, 'mean', colours.mean, 'mean', '5 4');
    if (unit) text(svg, 4, 12, unit, { 'text-anchor': 'start', class: 'unit' });
    svg.dataset.points = String(points.length);
    svg.dataset.rendered = 'fan';
  }

  /** Stacked areas of probabilities that add up to 1 (grades). layers: [{name, colour, values}] over months. */
  function stacked(svg, months, layers) {
    const height = 260;
    const width = reset(svg, height);
    const m = { left: 56, right: 16, top: 12, bottom: 28 };
    const x = scale(0, Math.max(1, months.length - 1), m.left, width - m.right);
    const y = scale(0, 1, height - m.bottom, m.top);
    axes(svg, width, height, m, x, y, [0, 0.25, 0.5, 0.75, 1], months);
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

  return { fan, stacked, intervals };
})();
