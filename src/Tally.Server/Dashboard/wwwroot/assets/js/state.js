// The page's filters and what they mean as API parameters. The model-chip rules live here (not in the widget) so they
// are one small pure module: click toggles, alt/shift-click solos, a family pill toggles its group, Reset selects all.

/** The date-range pills, in the order they are shown: [key, label, days (null: everything)]. */
export const RANGES = [
  ["today", "Today", 1],
  ["7d", "7 days", 7],
  ["30d", "30 days", 30],
  ["90d", "90 days", 90],
  ["all", "All", null],
];

/** The filters. `models`: null = every model (the parameter is absent), else the selected ids (empty: none). */
export const state = {
  project: "",
  range: "30d",
  models: null,
  compare: false,
  sort: "cost",
  order: "desc",
  sessionsLimit: 25,
};

const listeners = [];

/** Calls `listener(change)` after each change of the filters ("filters") or of the sessions table ("sessions"). */
export function onChange(listener) {
  listeners.push(listener);
}

/** Applies `patch` to the state and tells the listeners what changed. */
export function update(patch, change = "filters") {
  Object.assign(state, patch);
  if (change === "filters") {
    state.sessionsLimit = 25;
  }
  for (const listener of listeners) {
    listener(change);
  }
}

/** The family a model id belongs to (opus, sonnet, haiku), or "other". */
export function family(model) {
  const match = /(opus|sonnet|haiku)/.exec(model);
  return match ? match[1] : "other";
}

/** Whether `model` is selected. */
export function isSelected(model) {
  return state.models === null || state.models.includes(model);
}

/** A selection that includes every model shown is "every model": the parameter is then left out. */
function normalise(selected, available) {
  return available.length > 0 && available.every((m) => selected.includes(m)) ? null : selected;
}

/** Click on a chip: toggles that model. */
export function toggleModel(model, available) {
  const current = state.models ?? [...available];
  const next = current.includes(model) ? current.filter((m) => m !== model) : [...current, model];
  return normalise(next, available);
}

/** Alt- or shift-click on a chip: that model alone. */
export function soloModel(model) {
  return [model];
}

/** Click on a family pill: when every model of the family is selected, deselects them; else selects them all. */
export function toggleFamily(name, available) {
  const members = available.filter((m) => family(m) === name);
  const current = state.models ?? [...available];
  const all = members.every((m) => current.includes(m));
  const next = all ? current.filter((m) => !members.includes(m)) : [...new Set([...current, ...members])];
  return normalise(next, available);
}

/** A day ("YYYY-MM-DD") `days` before `day`. */
export function addDays(day, days) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Today in `zone` at the instant `now` (the server's clock and zone, not the browser's). */
export function today(now, zone) {
  const at = now ? new Date(now) : new Date();
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
    const part = (type) => parts.find((p) => p.type === type).value;
    return `${part("year")}-${part("month")}-${part("day")}`;
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/** The range's first and last day (null for "All"). */
export function dates(todayDay) {
  const days = RANGES.find(([key]) => key === state.range)?.[2] ?? null;
  if (days === null) {
    return { start_date: null, end_date: null };
  }
  return { start_date: addDays(todayDay, -(days - 1)), end_date: todayDay };
}

/**
 * The filter parameters every data endpoint takes, in a fixed order: project, start_date, end_date, models.
 * `without` leaves some out (the project selector's list ignores the project; the chips' list ignores the models).
 */
export function filterParams(todayDay, without = []) {
  const params = {};
  if (state.project && !without.includes("project")) {
    params.project = state.project;
  }
  if (!without.includes("dates")) {
    Object.assign(params, dates(todayDay));
  }
  if (state.models !== null && !without.includes("models")) {
    params.models = [...state.models].sort();
  }
  return params;
}

/** Whether comparing with the previous window is possible (it needs both dates). */
export function canCompare() {
  return state.range !== "all";
}
