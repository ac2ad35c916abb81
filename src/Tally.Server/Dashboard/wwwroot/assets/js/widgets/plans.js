// The plan bars: the 5-hour and weekly windows of /api/limits (what `tally limits --json` prints), each labelled
// with the signal its figure comes from (header > status-line > limit-line > estimate), so "50% used" never hides
// that it is a guess.

import { el, replace, bar } from "../dom.js";
import { percent, duration, money, integer } from "../format.js";
import { amount } from "./agents.js";

const NAMES = { "5h": "5-hour window", weekly: "Weekly window" };
const SIGNALS = {
  header: "observed in the API's rate-limit headers",
  "status-line": "reported by Claude Code's status line",
  "limit-line": "from a limit message in a transcript",
  estimate: "an estimate from this machine's history",
};

function windowBar(w) {
  const name = w.window === "model" ? `Weekly · ${w.model}` : NAMES[w.window] ?? w.window;
  const used = w.utilisation?.percent ?? null;
  const signal = w.utilisation?.source ?? null;
  const level = w.blocked || (used !== null && used >= 100) ? "over" : used !== null && used >= 80 ? "warn" : "ok";
  const resets = w.resetsInMinutes !== null && w.resetsInMinutes !== undefined ? `resets in ${duration(w.resetsInMinutes * 60)}` : "reset not known";
  return el("div", { class: `plan ${level}`, "data-testid": "plan-bar", "data-window": w.window, "data-model": w.model ?? "", "data-signal": signal ?? "none" },
    el("div", { class: "plan-head" },
      el("strong", { text: name }),
      el("span", { class: "plan-value", "data-testid": "plan-percent", text: used === null ? "unknown" : percent(used) + (w.blocked ? " · blocked" : "") })),
    bar(used === null ? 0 : used / 100, null, used === null ? `${name}: unknown` : `${name}: ${percent(used)} used`),
    el("p", { class: "hint" },
      el("span", { class: `signal ${signal ?? "none"}`, "data-testid": "plan-signal", title: SIGNALS[signal] ?? "", text: signal ? `signal: ${signal}` : "no signal" }),
      ` · ${resets} · ${money(w.used.costUSD)} · ${integer(w.used.messages)} messages`,
      used === null && w.notes?.length ? ` · ${w.notes[0]}` : ""));
}

/** The budgets that are not an agent's (day, month, plan, a project's): one bar per status, fullest first. */
function budgetBars(answer) {
  if (!answer.data) {
    return answer.missing ? null : el("p", { class: "hint", text: `Budgets could not be loaded (${answer.error}).` });
  }
  const rows = answer.data.budgets
    .filter((b) => b.scope !== "session" && b.scope !== "agent")
    .flatMap((b) => (b.status ?? []).map((s) => ({ b, s })))
    .sort((x, y) => (y.s.percent ?? -1) - (x.s.percent ?? -1));
  if (rows.length === 0) {
    return null;
  }
  return el("div", { class: "plan-bars budgets", "data-testid": "budgets" }, rows.map(({ b, s }) => {
    const level = s.percent === null ? "ok" : s.percent >= 100 ? "over" : s.percent >= 80 ? "warn" : "ok";
    const name = s.label && s.label !== b.name ? `${b.name} · ${s.label}` : b.name;
    return el("div", { class: `plan ${level}`, "data-testid": "budget-bar", "data-budget": b.name },
      el("div", { class: "plan-head" },
        el("strong", { text: `Budget ${name}` }),
        el("span", { class: "plan-value", "data-testid": "budget-percent", text: s.percent === null ? "unknown" : percent(s.percent) })),
      bar(s.percent === null ? 0 : s.percent / 100, null, `${name}: ${s.percent === null ? "unknown" : percent(s.percent)} of its limit`),
      el("p", { class: "hint", text: s.used === null
        ? s.note ?? "usage not known"
        : `${amount(s.used, b.unit)} of ${amount(b.limit, b.unit)} per ${b.period}` + (s.actionDue ? ` · action due: ${s.actionDue}` : "") }));
  }));
}

/** `answer`: /api/limits, `budgets`: /api/budgets, as getOptional gives them ({ data } | { missing } | { error }). */
export function render(answer, budgets, container) {
  if (!answer.data) {
    const why = answer.missing ? "this server has no /api/limits." : `could not be loaded (${answer.error}).`;
    replace(container, el("p", { class: "hint", "data-testid": "plans-unavailable", text: `Plan usage: ${why}` }), budgetBars(budgets));
    return;
  }
  const limits = answer.data;
  const windows = limits.windows.filter((w) => w.window === "5h" || w.window === "weekly" || w.window === "model");
  const plan = limits.plan
    ? `${limits.plan.label ?? limits.plan.name}${limits.plan.estimate ? " · limits are estimates" : ""}`
    : "No plan configured: limits are learned from history";
  const today = limits.today ? ` · today: ${integer(limits.today.messages)} messages, ${integer(limits.today.opusMessages)} Opus` : "";
  replace(container,
    el("p", { class: "hint", "data-testid": "plan-name", text: plan + today }),
    el("div", { class: "plan-bars" }, windows.map(windowBar)),
    budgetBars(budgets));
}
