// Tool usage: /api/stats/tools. A call that asked for two tools is in both rows, so the rows are not added up.

import { el, replace, bar, empty } from "../dom.js";
import { money, integer } from "../format.js";

/** `tools`: /api/stats/tools. */
export function render(tools, container) {
  if (tools.tools.length === 0 && tools.withoutTools.requests === 0) {
    replace(container, empty("No calls under these filters."));
    return;
  }
  const most = Math.max(1, ...tools.tools.map((t) => t.requests), tools.withoutTools.requests);
  const row = (name, figures, testid) =>
    el("tr", { "data-testid": testid, "data-key": name },
      el("td", { "data-col": "tool", text: name }),
      el("td", { class: "num", "data-col": "requests", text: integer(figures.requests) }),
      el("td", { class: "num", "data-col": "cost", text: money(figures.totalCost) }),
      el("td", { class: "share" }, bar(figures.requests / most)));
  const rows = tools.tools.map((t) => row(t.tool, t, "tool-row"));
  rows.push(row("(no tool)", tools.withoutTools, "tool-row-none"));
  replace(container, el("table", { class: "data" },
    el("thead", null, el("tr", null, el("th", { scope: "col", text: "Tool" }), el("th", { scope: "col", class: "num", text: "Calls" }), el("th", { scope: "col", class: "num", text: "Cost" }), el("th", null))),
    el("tbody", null, rows)));
}
