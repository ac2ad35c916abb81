// Cost over time: one bar per day of /api/costs' series, stacked by model, drawn as plain SVG. Each bar's height is
// the API's figure; the segments are the API's per-model figures for that day.

import { el, svg, replace, byTestId, empty } from "../dom.js";
import { colorFor } from "../colors.js";
import { money, axisMoney, shortDay } from "../format.js";
import { addDays } from "../state.js";

const HEIGHT = 240;
const MARGIN = { top: 10, right: 8, bottom: 26, left: 56 };
let last = null;

/**
 * `costs`: /api/costs (its series, and rows for the order of the stack); `range`: the days asked for (start_date and
 * end_date, either null), so the axis spans the whole range even where the API's series (first to last day with data)
 * is shorter: days without data are drawn empty.
 */
export function render(costs, range = {}) {
  last = [costs, range];
  const box = byTestId("cost-chart");
  const legend = byTestId("chart-legend");
  const series = span(costs.series, range);
  if (costs.series.length === 0) {
    replace(box, empty("No usage in this range."));
    replace(legend);
    return;
  }

  const order = stackOrder(costs);
  const width = Math.max(320, box.clientWidth || 800);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = niceStep(Math.max(...series.map((d) => d.totalCost)) / 4) * 4;
  const y = (v) => MARGIN.top + plotHeight - (top === 0 ? 0 : (v / top) * plotHeight);
  const step = plotWidth / series.length;
  const barWidth = Math.max(1, Math.min(40, step * 0.78));

  const grid = [];
  for (let i = 0; i <= 4; i++) {
    const value = (top / 4) * i;
    grid.push(svg("line", { class: "grid", x1: MARGIN.left, x2: width - MARGIN.right, y1: y(value), y2: y(value) }));
    grid.push(svg("text", { class: "axis", x: MARGIN.left - 6, y: y(value) + 4, "text-anchor": "end", text: axisMoney(value) }));
  }

  const labelEvery = Math.max(1, Math.ceil(series.length / Math.max(1, Math.floor(plotWidth / 64))));
  const bars = series.map((day, i) => {
    const x = MARGIN.left + i * step + (step - barWidth) / 2;
    const parts = [...day.modelBreakdowns].sort((a, b) => order.indexOf(a.modelName) - order.indexOf(b.modelName));
    let base = 0;
    const rects = parts.filter((p) => p.cost > 0).map((p) => {
      const y0 = y(base);
      base += p.cost;
      return svg("rect", { x, y: y(base), width: barWidth, height: Math.max(0, y0 - y(base)), fill: colorFor(p.modelName), "data-model": p.modelName });
    });
    const tip = [`${shortDay(day.date)}: ${money(day.totalCost)}`, ...parts.map((p) => `${p.modelName}: ${money(p.cost)}`)].join("\n");
    const label = i % labelEvery === 0
      ? svg("text", { class: "axis", x: x + barWidth / 2, y: HEIGHT - 8, "text-anchor": "middle", text: shortDay(day.date) })
      : null;
    // an invisible full-height target so a thin or empty day still shows its tooltip
    const hit = svg("rect", { class: "hit", x: MARGIN.left + i * step, y: MARGIN.top, width: step, height: plotHeight });
    return svg("g", { class: "day", "data-testid": "chart-day", "data-date": day.date, "data-total": money(day.totalCost) },
      svg("title", { text: tip }), hit, ...rects, label);
  });

  const chart = svg("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, role: "img", "aria-label": "Cost per day, stacked by model" }, ...grid, ...bars);
  replace(box, chart);

  const inSeries = new Set(series.flatMap((d) => d.modelBreakdowns.map((p) => p.modelName)));
  replace(legend, order.filter((m) => inSeries.has(m)).map((m) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colorFor(m);
    return el("span", { class: "key" }, swatch, m);
  }));
}

/** Redraws at the new width. */
export function resize() {
  if (last) {
    render(...last);
  }
}

/** The series with a day for each day of the range, the API's entry where there is one and an empty one elsewhere. */
function span(series, { start_date: start, end_date: end }) {
  if (series.length === 0) {
    return series;
  }
  const byDay = new Map(series.map((d) => [d.date, d]));
  const first = start && start < series[0].date ? start : series[0].date;
  const lastDay = end && end > series[series.length - 1].date ? end : series[series.length - 1].date;
  const days = [];
  for (let day = first; day <= lastDay && days.length < 5000; day = addDays(day, 1)) {
    days.push(byDay.get(day) ?? { date: day, totalCost: 0, modelBreakdowns: [] });
  }
  return days;
}

/** The models dearest first: the rows of a by-model answer, else the order they appear in. */
function stackOrder(costs) {
  if (costs.groupBy === "model") {
    return costs.rows.map((r) => r.key);
  }
  return [...new Set(costs.series.flatMap((d) => d.modelBreakdowns.map((p) => p.modelName)))];
}

/** A round step at or above `value` for the gridlines: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(value) {
  if (!(value > 0)) {
    return 0.25;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * power >= value) {
      return m * power;
    }
  }
  return 10 * power;
}
