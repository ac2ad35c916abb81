// The dashboard: loads what every widget shows for the current filters, renders it, and does it again whenever the
// filters change or the server says the index changed (server-sent events).

import { getJson, getOptional, query, subscribe } from "./api.js";
import { assign } from "./colors.js";
import { el, replace, byTestId } from "./dom.js";
import { state, onChange, filterParams, today, dates, canCompare, RANGES } from "./state.js";
import * as filters from "./widgets/filters.js";
import * as cards from "./widgets/cards.js";
import * as chart from "./widgets/chart.js";
import * as breakdowns from "./widgets/breakdowns.js";
import * as sessions from "./widgets/sessions.js";
import * as tools from "./widgets/tools.js";
import * as agents from "./widgets/agents.js";
import * as plans from "./widgets/plans.js";
import * as rateLimits from "./widgets/ratelimits.js";
import * as alerts from "./widgets/alerts.js";
import * as billed from "./widgets/billed.js";

const root = document.documentElement;
let clock = null; // the server's now and timezone, from /api/agents
let running = false;
let pending = null; // "all" or "sessions": what to load once the current load is done
let renders = 0;

function body(testid) {
  return byTestId(testid).querySelector(".body");
}

function sessionsParams(day) {
  return { ...filterParams(day), sort: state.sort, order: state.order, limit: state.sessionsLimit };
}

/** Loads and renders everything. The first load asks the server for its clock before anything that needs "today". */
async function loadAll() {
  if (!clock) {
    // The server's clock and timezone say what "today" is (not the browser's): the cheapest answer that has them.
    const probe = await getJson("/api/agents", { active: "true", changes: "false" });
    clock = { now: probe.tally.now, zone: probe.tally.timezone };
  }
  const day = today(clock.now, clock.zone);
  const all = filterParams(day);
  const compare = state.compare && canCompare() ? { compare: "previous" } : {};
  const unfiltered = !state.project && state.models === null; // then the selector's list is the breakdown's
  const projectsAll = getJson("/api/costs/projects", filterParams(day, ["project", "models"]));
  // What answers "what did it cost" (cards, chart, breakdowns, sessions) is asked for first, alone, so the server's
  // connections and the machine's cores work on it undisturbed; the rest (tools, agents, limits, budgets, alerts,
  // billed) is asked for as soon as it is here, and drawn after it.
  const [costs, projectsList, projects, page] = await Promise.all([
    getJson("/api/costs", { ...all, group_by: "model", ...compare }),
    projectsAll,
    unfiltered ? projectsAll : getJson("/api/costs/projects", all),
    getJson("/api/stats/sessions", sessionsParams(day)),
  ]);
  const rest = Promise.all([
    getJson("/api/stats/tools", all),
    getJson("/api/agents", filterParams(day, ["dates"])),
    getJson("/api/costs/rate-limits"),
    getOptional("/api/limits"),
    getOptional("/api/budgets"),
    getOptional("/api/alerts", dates(day)),
    billed.load(dates(day)),
  ]);
  rest.catch(() => {}); // awaited below; this only keeps a failure while the core renders from being reported as unhandled
  const zone = costs.filters.timezone;

  assign(costs.rows.map((r) => r.key));
  const used = projectsList.projects.filter((p) => !state.project || p.projectPath === state.project).flatMap((p) => p.modelsUsed);
  filters.renderProjects(projectsList);
  filters.renderModels([...new Set([...used, ...(state.models ?? [])])]);
  filters.renderControls();
  cards.render(costs, page);
  chart.render(costs, dates(day));
  breakdowns.renderModels(costs, body("model-breakdown"));
  breakdowns.renderProjects(projects, body("project-breakdown"));
  sessions.render(page, body("sessions"), zone);
  footer(costs);
  if (!performance.getEntriesByName("tally:first-meaningful-render").length) {
    performance.mark("tally:first-meaningful-render");
  }

  const [toolList, agentsNow, rates, limits, budgets, alertList, bill] = await rest;
  clock = { now: agentsNow.tally.now, zone: agentsNow.tally.timezone };
  tools.render(toolList, body("tools"));
  agents.render(agentsNow, budgets.data ?? null, body("agents"));
  plans.render(limits, budgets, byTestId("plans"));
  rateLimits.render(rates, zone);
  alerts.render(alertList, body("alerts"), zone);
  billed.render(bill, byTestId("billed"));

  root.dataset.filters = query({ ...all, ...compare });
  root.dataset.sessions = query(sessionsParams(day));
  root.dataset.today = day;
  root.dataset.billed = query(bill.params);
}

async function loadSessions() {
  const day = today(clock.now, clock.zone);
  const page = await getJson("/api/stats/sessions", sessionsParams(day));
  sessions.render(page, body("sessions"), clock.zone);
  root.dataset.sessions = query(sessionsParams(day));
}

function footer(costs) {
  replace(byTestId("footer"),
    `Timezone ${costs.filters.timezone} · prices ${costs.catalogVersion}`,
    costs.problems > 0 ? ` · ${costs.problems} unreadable lines (tally problems)` : "",
    " · ", el("a", { href: "/openapi.json", text: "API" }));
}

/** Runs one load at a time; a request made meanwhile runs once the current load ends (several collapse into one). */
async function schedule(what) {
  pending = pending === "all" || what === "all" ? "all" : "sessions";
  if (running) {
    return;
  }
  running = true;
  try {
    while (pending) {
      const next = pending;
      pending = null;
      try {
        await (next === "all" || !clock ? loadAll() : loadSessions());
        showError(null);
        rendered();
      } catch (error) {
        showError(error);
      }
    }
  } finally {
    running = false;
  }
}

function rendered() {
  renders += 1;
  root.dataset.renders = String(renders);
  if (root.dataset.ready !== "1") {
    root.dataset.ready = "1";
    performance.mark("tally:first-render");
  }
}

function showError(error) {
  const box = byTestId("error");
  box.hidden = error === null;
  box.textContent = error === null ? "" : `Could not load the dashboard's data: ${error.message}`;
  if (error !== null) {
    root.dataset.error = error.message;
  } else {
    delete root.dataset.error;
  }
}

/** The filters in the address (#range=7d&project=…&models=…&compare=1), so a reload or a link keeps them. */
function saveToAddress() {
  const params = { range: state.range, project: state.project || null, models: state.models, compare: state.compare ? "1" : null, sort: state.sort, order: state.order };
  history.replaceState(null, "", "#" + query(params));
}

function readAddress() {
  const params = new URLSearchParams(location.hash.slice(1));
  const patch = {};
  if (RANGES.some(([key]) => key === params.get("range"))) {
    patch.range = params.get("range");
  }
  if (params.get("project")) {
    patch.project = params.get("project");
  }
  if (params.has("models")) {
    patch.models = params.get("models") === "" ? [] : params.get("models").split(",");
  }
  patch.compare = params.get("compare") === "1";
  if (["cost", "tokens", "date"].includes(params.get("sort"))) {
    patch.sort = params.get("sort");
  }
  if (["asc", "desc"].includes(params.get("order"))) {
    patch.order = params.get("order");
  }
  Object.assign(state, patch);
}

function setLive(status) {
  const live = byTestId("live-status");
  live.dataset.status = status;
  live.textContent = status === "live" ? "live" : "reconnecting…";
}

readAddress();
filters.init();
onChange((change) => {
  saveToAddress();
  filters.renderControls();
  schedule(change === "sessions" ? "sessions" : "all");
});
let resizing = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(chart.resize, 150);
});
schedule("all");
subscribe(() => schedule("all"), setLive);
