// Billed: what Anthropic billed the organization, from the Admin API data `tally admin sync` stored, for the selected
// range in UTC days (the Admin API's days): billed cost per day and segment, by segment (with the usage report's tokens,
// the only place Console use shows), by model, and local records vs the bill per day and model (/api/reconcile).
// Every figure is a field of an API answer; nothing is summed here.

import { getOptional } from "../api.js";
import { el, replace, bar, empty } from "../dom.js";
import { money, signedMoney, integer } from "../format.js";

const SEGMENTS = [["api", "API"], ["claude-code", "Claude Code"], ["console", "Console"]];
const RECONCILE_ROWS = 60;

/** The range as the billed endpoints take it: the page's days; "All" asks from 1970 (the billed tables are small). */
function range(dates) {
  return dates.start_date === null ? { start_date: "1970-01-01", end_date: null } : dates;
}

/**
 * Loads what the view shows for `dates` ({ start_date, end_date }, either null for "All"). Never throws: each answer is
 * getOptional's ({ data } | { missing } | { error }). Local-vs-billed is asked for only when there is billed data and
 * a bounded range (it reads the local records too).
 */
export async function load(dates) {
  const params = range(dates);
  const [days, segments, models, usage] = await Promise.all([
    getOptional("/api/admin/costs", { ...params, group_by: "day" }),
    getOptional("/api/admin/costs", { ...params, group_by: "segment" }),
    getOptional("/api/admin/costs", { ...params, group_by: "model" }),
    getOptional("/api/admin/usage", { ...params, group_by: "segment" }),
  ]);
  const some = days.data && usage.data && (days.data.costs.length > 0 || usage.data.usage.length > 0);
  const reconcile = some && dates.start_date !== null ? await getOptional("/api/reconcile", { ...params, tolerance: 1 }) : null;
  return { params, days, segments, models, usage, reconcile };
}

function table(head, rows, testid) {
  return el("table", { class: "data", "data-testid": testid },
    el("thead", null, el("tr", null, head.map(([label, numeric]) => el("th", { class: numeric ? "num" : null, scope: "col", text: label })))),
    el("tbody", null, rows));
}

function segmentName(key) {
  return SEGMENTS.find(([k]) => k === key)?.[1] ?? key;
}

/** Billed cost and tokens per segment, with each cost's share of the billed total. */
function segmentsTable(segments, usage) {
  const total = segments.totals.costUsd;
  const cost = new Map(segments.costs.map((r) => [r.key, r.costUsd]));
  const tokens = new Map(usage.usage.map((r) => [r.key, r.totalTokens]));
  const rows = SEGMENTS.filter(([key]) => cost.has(key) || tokens.has(key)).map(([key, label]) =>
    el("tr", { "data-testid": "billed-segment-row", "data-key": key },
      el("td", { "data-col": "segment", text: label }),
      el("td", { class: "num", "data-col": "cost", text: cost.has(key) ? money(cost.get(key)) : key === "console" ? "in API" : money(0) }),
      el("td", { class: "num", "data-col": "tokens", text: tokens.has(key) ? integer(tokens.get(key)) : "—" }),
      el("td", { class: "share" }, cost.has(key) && total > 0 ? bar(cost.get(key) / total) : null)));
  return table([["Segment"], ["Billed", true], ["Tokens", true], [""]], rows, "billed-segments");
}

/** One row per day, one column per segment: each cell is the API's row for that day and segment. */
function daysTable(days) {
  const byDay = new Map();
  for (const row of days.costs) {
    if (!byDay.has(row.key)) {
      byDay.set(row.key, new Map());
    }
    byDay.get(row.key).set(row.segment, row.costUsd);
  }
  const shown = SEGMENTS.filter(([key]) => days.costs.some((r) => r.segment === key));
  const rows = [...byDay].map(([day, cells]) =>
    el("tr", { "data-testid": "billed-day-row", "data-key": day },
      el("td", { "data-col": "day", text: day }),
      shown.map(([key]) => el("td", { class: "num", "data-col": key, text: cells.has(key) ? money(cells.get(key)) : "—" }))));
  return table([["Day (UTC)"], ...shown.map(([, label]) => [label, true])], rows, "billed-days");
}

function modelsTable(models) {
  const rows = models.costs.map((r) =>
    el("tr", { "data-testid": "billed-model-row", "data-key": r.key, "data-segment": r.segment },
      el("td", { "data-col": "model", text: r.key }),
      el("td", { "data-col": "segment", text: segmentName(r.segment) }),
      el("td", { class: "num", "data-col": "cost", text: money(r.costUsd) })));
  return table([["Model"], ["Segment"], ["Billed", true]], rows, "billed-models");
}

function reconcileTable(answer) {
  if (answer === null) {
    return el("p", { class: "hint", "data-testid": "billed-reconcile-off", text: "Pick a date range to compare local records with the bill (tally reconcile)." });
  }
  if (!answer.data) {
    return el("p", { class: "hint", "data-testid": "billed-reconcile-off", text: `Local vs billed could not be loaded (${answer.error ?? "not served"}).` });
  }
  const lines = answer.data.reconciliation;
  const rows = lines.slice(0, RECONCILE_ROWS).map((r) =>
    el("tr", { "data-testid": "billed-gap-row", "data-key": `${r.day} ${r.model}`, class: r.withinTolerance ? null : "gap" },
      el("td", { "data-col": "day", text: r.day }),
      el("td", { "data-col": "model", text: r.model }),
      el("td", { class: "num", "data-col": "local", text: money(r.localCostUsd) }),
      el("td", { class: "num", "data-col": "billed", text: money(r.billedUsd) }),
      el("td", { class: "num", "data-col": "gap", text: signedMoney(r.costGapUsd) }),
      el("td", { "data-col": "cause", class: "cause", text: r.withinTolerance ? "ok" : r.cause })));
  return el("div", null,
    table([["Day (UTC)"], ["Model"], ["Local", true], ["Billed", true], ["Gap", true], ["Likely cause"]], rows, "billed-reconcile"),
    lines.length > RECONCILE_ROWS ? el("p", { class: "hint", text: `${lines.length - RECONCILE_ROWS} more rows: tally reconcile` }) : null);
}

/** Renders `answers` (from load) into `section` (its .body): hidden when the server has no billed endpoints. */
export function render(answers, section) {
  const container = section.querySelector(".body");
  const { days, segments, models, usage } = answers;
  section.hidden = [days, segments, models, usage].some((a) => a.missing);
  if (section.hidden) {
    return;
  }
  const failed = [days, segments, models, usage].find((a) => a.error);
  if (failed) {
    replace(container, el("p", { class: "hint", "data-testid": "billed-unavailable", text: `Billed data could not be loaded (${failed.error}).` }));
    return;
  }
  if (days.data.costs.length === 0 && usage.data.usage.length === 0) {
    replace(container, empty("No billed data — run `tally admin sync`."));
    return;
  }
  const d = segments.data;
  replace(container,
    el("p", { class: "billed-total", "data-testid": "billed-total" },
      el("span", { class: "value", text: money(d.totals.costUsd) }),
      el("span", { class: "hint", text: answers.params.start_date === "1970-01-01" ? ` billed up to ${d.until} (UTC)` : ` billed ${d.since} – ${d.until} (UTC)` })),
    el("div", { class: "columns" },
      el("div", null, el("h3", { text: "By segment" }), segmentsTable(d, usage.data)),
      el("div", null, el("h3", { text: "By model" }), modelsTable(models.data))),
    el("h3", { text: "Per day" }), daysTable(days.data),
    el("h3", { text: "Local records vs billed" }), reconcileTable(answers.reconcile),
    d.notes.map((note) => el("p", { class: "hint", "data-testid": "billed-note", text: note })));
}
