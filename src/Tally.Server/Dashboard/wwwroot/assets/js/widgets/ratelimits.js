// The rate-limit chip: the least headroom /api/costs/rate-limits knows, and a popover with every model's and
// account's reading, when it was observed and from which signal.

import { el, replace, byTestId } from "../dom.js";
import { rate, integer, dateTime } from "../format.js";

let wired = false;

function wire() {
  const chip = byTestId("rate-limit-chip");
  const popover = byTestId("rate-limit-popover");
  const close = () => {
    popover.hidden = true;
    chip.setAttribute("aria-expanded", "false");
  };
  chip.addEventListener("click", (event) => {
    event.stopPropagation();
    popover.hidden = !popover.hidden;
    chip.setAttribute("aria-expanded", String(!popover.hidden));
  });
  document.addEventListener("click", (event) => {
    if (!popover.contains(event.target)) {
      close();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      close();
    }
  });
  wired = true;
}

function rows(readings, nameOf, zone) {
  return readings.map((r) => el("tr", { "data-testid": "rate-limit-row", "data-key": nameOf(r) },
    el("td", { text: nameOf(r) }),
    el("td", { text: r.limit }),
    el("td", { class: "num", text: rate(r.headroom, 0) }),
    el("td", { class: "num", text: r.remaining === null ? "—" : `${integer(r.remaining)} / ${integer(r.maximum)}` }),
    el("td", { text: r.resetsAt ? dateTime(r.resetsAt, zone) : "—" }),
    el("td", { text: dateTime(r.observedAt, zone) }),
    el("td", { text: r.signal })));
}

/** `limits`: /api/costs/rate-limits. */
export function render(limits, zone) {
  if (!wired) {
    wire();
  }
  const chip = byTestId("rate-limit-chip");
  const all = [...limits.models, ...limits.accounts];
  if (all.length === 0) {
    chip.textContent = "Rate limits: no readings";
    chip.dataset.level = "none";
  } else {
    const least = all.reduce((a, b) => (b.headroom < a.headroom ? b : a));
    chip.textContent = `Rate limits: ${rate(least.headroom, 0)} headroom`;
    chip.dataset.level = least.headroom <= 0.1 ? "over" : least.headroom <= 0.25 ? "warn" : "ok";
  }
  const head = el("thead", null, el("tr", null, ["Model or account", "Limit", "Headroom", "Left", "Resets", "Observed", "Signal"].map((h) => el("th", { scope: "col", text: h }))));
  replace(byTestId("rate-limit-popover"),
    el("h3", { text: "Rate-limit headroom" }),
    all.length === 0
      ? el("p", { class: "hint", text: "No reading yet. Headroom is observed from rate-limit headers (the metering proxy) and Claude Code's status line." })
      : el("table", { class: "data" }, head, el("tbody", null, rows(limits.models, (r) => r.model, zone), rows(limits.accounts, (r) => r.account, zone))),
    el("p", { class: "hint", text: limits.observedAt ? `Last reading ${dateTime(limits.observedAt, zone)}. Burn rate, not quota.` : "Burn rate, not quota." }));
}
