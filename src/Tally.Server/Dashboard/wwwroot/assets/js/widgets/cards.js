// The summary cards. Every figure is the API's own total, formatted; nothing is summed here.

import { byTestId } from "../dom.js";
import { money, signedMoney, integer, signedInteger, rate, signedRate } from "../format.js";

function set(id, text) {
  byTestId(id).textContent = text;
}

/** `costs`: /api/costs (its totals and, when comparing, previous); `sessions`: /api/stats/sessions (its total). */
export function render(costs, sessions) {
  const t = costs.totals;
  set("cost-value", money(t.totalCost));
  set("tokens-value", integer(t.totalTokens));
  set("sessions-value", integer(sessions.total));
  set("cache-value", rate(t.cacheHitRate));
  set("calls-value", `cloud ${integer(t.calls.cloud)} · local ${integer(t.calls.local)}`);

  const unpriced = t.unpricedRequests > 0
    ? `${integer(t.unpricedRequests)} unpriced call${t.unpricedRequests === 1 ? "" : "s"} (${costs.unpricedModels.join(", ")}) not in the cost`
    : "";
  const previous = costs.previous;
  if (previous) {
    const days = `${previous.startDate} – ${previous.endDate}`;
    const ratio = previous.change.totalCostRatio === null ? "" : ` (${signedRate(previous.change.totalCostRatio)})`;
    set("cost-sub", `${signedMoney(previous.change.totalCost)}${ratio} vs ${money(previous.totals.totalCost)} in ${days}` + (unpriced ? ` · ${unpriced}` : ""));
    set("tokens-sub", `${signedInteger(previous.change.totalTokens)} vs ${integer(previous.totals.totalTokens)}`);
    set("calls-sub", `${signedInteger(previous.change.requests)} calls vs ${integer(previous.totals.requests)}`);
    set("cache-sub", `${rate(previous.totals.cacheHitRate)} before`);
  } else {
    set("cost-sub", unpriced);
    set("tokens-sub", `${integer(t.inputTokens)} in · ${integer(t.outputTokens)} out`);
    set("calls-sub", `${integer(t.requests)} calls`);
    set("cache-sub", `${integer(t.cacheReadTokens)} read from cache`);
  }
  set("sessions-sub", sessions.activeWindowMinutes ? `active: a call in the last ${sessions.activeWindowMinutes} min` : "");
  byTestId("card-cost").dataset.compare = String(Boolean(previous));
}
