// Alerts: /api/alerts (what `tally alerts --json` prints), newest first.

import { el, replace, empty } from "../dom.js";
import { dateTime } from "../format.js";

const SHOWN = 20;

/** `answer`: /api/alerts as getOptional gives it ({ data } | { missing } | { error }). */
export function render(answer, container, zone) {
  if (!answer.data) {
    const why = answer.missing ? "This server has no /api/alerts." : `Alerts could not be loaded (${answer.error}).`;
    replace(container, el("p", { class: "hint", "data-testid": "alerts-unavailable", text: why }));
    return;
  }
  const alerts = answer.data;
  if (alerts.alerts.length === 0) {
    replace(container, empty("No alert raised."));
    return;
  }
  const newest = [...alerts.alerts].reverse().slice(0, SHOWN);
  replace(container, el("ul", { class: "alerts" }, newest.map((a) =>
    el("li", { class: `alert ${a.kind}`, "data-testid": "alert", "data-key": a.key },
      el("span", { class: `badge ${a.kind === "rate-limit" || (a.threshold ?? 0) >= 100 ? "over" : "warn"}`, text: a.kind }),
      el("span", { class: "message", text: a.message }),
      el("time", { class: "hint", datetime: a.raisedAt, text: dateTime(a.raisedAt, zone) }),
      a.suppressed ? el("span", { class: "hint", text: ` (not sent: ${a.suppressed})` }) : null))),
  alerts.alerts.length > SHOWN ? el("p", { class: "hint", text: `${alerts.alerts.length - SHOWN} older alerts: tally alerts` }) : null);
}
