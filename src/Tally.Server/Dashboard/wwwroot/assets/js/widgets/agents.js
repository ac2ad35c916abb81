// Agent cards: /api/agents (what `tally agents --json` prints), each with the budget that binds it most, from
// /api/budgets (what `tally budget list --json` prints) when the server has it.

import { el, replace, bar, empty } from "../dom.js";
import { money, integer, duration, percent, ago } from "../format.js";

const TAGS = { subscription: ["Sub", "billed to the subscription"], api: ["API", "billed to an API key"], unknown: ["?", "billing unknown: set authMode in config.json"] };

/** A budget figure in its unit. */
export function amount(value, unit) {
  if (unit === "usd") {
    return money(value);
  }
  if (unit === "percent") {
    return percent(value, 1);
  }
  return integer(value) + " tokens";
}

/** The budget status entries that apply to `agent`, tightest first. */
function budgetsFor(agent, budgets) {
  if (!budgets) {
    return [];
  }
  const found = [];
  for (const budget of budgets.budgets) {
    for (const status of budget.status ?? []) {
      const subject = status.subject;
      const applies = (budget.scope === "session" && subject === agent.sessionId)
        || (budget.scope === "agent" && subject !== null && (subject === agent.cwd || subject === agent.name))
        || (budget.scope === "project" && subject !== null && (subject === agent.project || subject === agent.name));
      if (applies && status.percent !== null) {
        found.push({ budget, status });
      }
    }
  }
  return found.sort((a, b) => b.status.percent - a.status.percent);
}

function budgetBar(agent, budgets) {
  const [tightest] = budgetsFor(agent, budgets);
  if (!tightest) {
    return el("p", { class: "hint", "data-testid": "agent-budget", "data-budget": "none", text: budgets ? "No budget applies" : "" });
  }
  const { budget, status } = tightest;
  const level = status.percent >= 100 ? "over" : status.percent >= 80 ? "warn" : "ok";
  return el("div", { class: `budget ${level}`, "data-testid": "agent-budget", "data-budget": budget.name },
    el("span", { class: "hint", text: `${budget.name}: ${amount(status.used, budget.unit)} of ${amount(budget.limit, budget.unit)} (${percent(status.percent)})` }),
    bar(status.percent / 100, null, `${percent(status.percent)} of the ${budget.name} budget`));
}

/** `agents`: /api/agents; `budgets`: /api/budgets or null. */
export function render(agents, budgets, container) {
  if (agents.agents.length === 0) {
    replace(container, empty("No agent made a call in the last 24 hours under these filters."));
    return;
  }
  const now = agents.tally.now;
  const cards = agents.agents.map((a) => {
    const [tag, tagTitle] = TAGS[a.billing] ?? TAGS.unknown;
    const changes = a.changes
      ? el("span", { class: "changes", "data-testid": "agent-changes" }, "Changes: ", el("span", { class: "add", text: `+${integer(a.changes.added)}` }), " ", el("span", { class: "del", text: `-${integer(a.changes.removed)}` }))
      : el("span", { class: "hint", "data-testid": "agent-changes", text: "Changes: unknown" });
    return el("article", { class: `agent ${a.status}`, "data-testid": "agent-card", "data-key": a.agent !== null && a.agent !== undefined ? `agent:${a.agent}` : a.sessionId, "data-status": a.status },
      el("header", null,
        el("span", { class: `dot ${a.status === "active" ? "active" : "idle"}`, role: "img", "aria-label": a.status }),
        el("strong", { class: "name", title: a.cwd ?? "", text: a.name ?? (a.sessionId ?? "").slice(0, 8) }),
        el("span", { class: `tag ${a.billing}`, "data-testid": "agent-source", title: tagTitle, text: `[${tag}]` })),
      el("p", { class: "task", title: a.labelSource, text: a.label ?? "—" }),
      el("p", { class: "status", "data-testid": "agent-status" },
        a.status === "active" ? `Working for ${duration(a.workingForSeconds)}` : `Idle · last call ${ago(a.lastActivity, now)}`),
      el("p", { class: "figures" },
        el("span", { class: "cost", "data-testid": "agent-cost", text: money(a.totalCost) }),
        ` · ${integer(a.messages)} messages · ${integer(a.totalTokens)} tokens` + (a.subagentCount > 0 ? ` · ${a.subagentCount} subagent${a.subagentCount === 1 ? "" : "s"}` : "")),
      changes,
      budgetBar(a, budgets));
  });
  replace(container, cards);
}
