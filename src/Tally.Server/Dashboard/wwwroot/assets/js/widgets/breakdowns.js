// The model and project breakdowns: the API's rows with their figures, and a bar for each row's share of the total.

import { el, replace, bar, empty } from "../dom.js";
import { colorFor } from "../colors.js";
import { money, integer, rate } from "../format.js";

function table(head, rows) {
  return el("table", { class: "data" },
    el("thead", null, el("tr", null, head.map(([label, numeric]) => el("th", { class: numeric ? "num" : null, scope: "col", text: label })))),
    el("tbody", null, rows));
}

function share(value, total) {
  return total > 0 ? value / total : 0;
}

/** `costs`: /api/costs grouped by model. */
export function renderModels(costs, container) {
  if (costs.rows.length === 0) {
    replace(container, empty("No calls under these filters."));
    return;
  }
  const total = costs.totals.totalCost;
  const rows = costs.rows.map((r) => {
    const swatch = el("span", { class: "swatch" });
    swatch.style.background = colorFor(r.key);
    return el("tr", { "data-testid": "model-row", "data-key": r.key },
      el("td", { "data-col": "model" }, swatch, r.key, r.catalogModel === null ? el("span", { class: "badge warn", title: "No price known for this model: its calls cost nothing here", text: "unpriced" }) : null),
      el("td", { class: "num", "data-col": "requests", text: integer(r.requests) }),
      el("td", { class: "num", "data-col": "tokens", text: integer(r.totalTokens) }),
      el("td", { class: "num", "data-col": "cache", text: rate(r.cacheHitRate) }),
      el("td", { class: "num", "data-col": "cost", text: money(r.totalCost) }),
      el("td", { class: "share" }, bar(share(r.totalCost, total), colorFor(r.key))));
  });
  replace(container, table([["Model"], ["Calls", true], ["Tokens", true], ["Cache hits", true], ["Cost", true], [""]], rows));
}

/** `projects`: /api/costs/projects under every filter. */
export function renderProjects(projects, container) {
  if (projects.projects.length === 0) {
    replace(container, empty("No project has calls under these filters."));
    return;
  }
  const total = projects.totals.totalCost;
  const rows = projects.projects.map((p) =>
    el("tr", { "data-testid": "project-row", "data-key": p.projectPath },
      el("td", { "data-col": "project", title: p.projectPath, text: p.project }),
      el("td", { class: "num", "data-col": "sessions", text: integer(p.sessions) }),
      el("td", { class: "num", "data-col": "requests", text: integer(p.requests) }),
      el("td", { class: "num", "data-col": "tokens", text: integer(p.totalTokens) }),
      el("td", { class: "num", "data-col": "cost", text: money(p.totalCost) }),
      el("td", { class: "share" }, bar(share(p.totalCost, total)))));
  replace(container, table([["Project"], ["Sessions", true], ["Calls", true], ["Tokens", true], ["Cost", true], [""]], rows));
}
