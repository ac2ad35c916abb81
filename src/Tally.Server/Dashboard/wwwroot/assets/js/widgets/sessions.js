// The sessions table: one page of /api/stats/sessions, sorted by the API (cost, tokens or date, either order), with a
// green dot on sessions active now.

import { el, replace, empty } from "../dom.js";
import { money, integer, duration, dateTime } from "../format.js";
import { state, update } from "../state.js";

const COLUMNS = [
  // [label, sort key or null, numeric]
  ["", null, false],
  ["Session", null, false],
  ["Project", null, false],
  ["Last activity", "date", false],
  ["Duration", null, true],
  ["Calls", null, true],
  ["Tokens", "tokens", true],
  ["Cost", "cost", true],
];

function header([label, key, numeric]) {
  if (!key) {
    return el("th", { scope: "col", class: numeric ? "num" : null, text: label });
  }
  const current = state.sort === key;
  const arrow = current ? (state.order === "desc" ? " ↓" : " ↑") : "";
  return el("th", { scope: "col", class: numeric ? "num" : null, "aria-sort": current ? (state.order === "desc" ? "descending" : "ascending") : "none" },
    el("button", {
      type: "button", class: "sort", "data-testid": "sort-" + key,
      onclick: () => update({ sort: key, order: current && state.order === "desc" ? "asc" : "desc" }, "sessions"),
    }, label + arrow));
}

/** `page`: /api/stats/sessions; `zone`: the timezone times are shown in. */
export function render(page, container, zone) {
  if (page.total === 0) {
    replace(container, empty("No session under these filters."));
    return;
  }
  const rows = page.sessions.map((s) =>
    el("tr", { "data-testid": "session-row", "data-key": s.sessionId, "data-active": String(s.active) },
      el("td", { class: "dot-cell" }, s.active ? el("span", { class: "dot active", "data-testid": "active-dot", title: `active: a call in the last ${page.activeWindowMinutes} minutes`, role: "img", "aria-label": "active" }) : null),
      el("td", { "data-col": "session", class: "mono", title: s.sessionId, text: s.sessionId.slice(0, 8) }),
      el("td", { "data-col": "project", title: s.projectPath ?? "", text: s.project ?? "—" }),
      el("td", { "data-col": "last", text: dateTime(s.lastActivity, zone) }),
      el("td", { class: "num", "data-col": "duration", text: duration(s.durationSeconds) }),
      el("td", { class: "num", "data-col": "requests", text: integer(s.requests) }),
      el("td", { class: "num", "data-col": "tokens", text: integer(s.totalTokens) }),
      el("td", { class: "num", "data-col": "cost", text: money(s.totalCost) })));
  const shown = page.offset + page.sessions.length;
  const more = shown < page.total
    ? el("button", { type: "button", class: "link", "data-testid": "sessions-more", onclick: () => update({ sessionsLimit: Math.min(1000, state.sessionsLimit + 50) }, "sessions") }, "Show more")
    : null;
  replace(container,
    el("table", { class: "data", "data-testid": "sessions-table" }, el("thead", null, el("tr", null, COLUMNS.map(header))), el("tbody", null, rows)),
    el("p", { class: "hint", "data-testid": "sessions-count" }, `${integer(shown)} of ${integer(page.total)} sessions `, more));
}
