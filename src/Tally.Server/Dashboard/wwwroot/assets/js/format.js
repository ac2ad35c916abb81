// Every figure the page shows is formatted here, and only here.
//
// Money and rates arrive from the API as exact decimals written as JSON numbers. They are rounded as decimal strings
// (half away from zero, as .NET formats a decimal), never through floating-point arithmetic, so the page shows what
// the API computed to the cent. Separators are fixed ("," for thousands, "." for decimals) whatever the browser's
// locale, so a figure reads the same everywhere and the browser tests can compare it with the API's.

const DASH = "—";

/** A number as a plain decimal string (no exponent). JSON numbers of up to 15 significant digits round-trip exactly. */
export function decimalString(value) {
  const text = String(value);
  if (!/e/i.test(text)) {
    return text;
  }
  // 1e-7 and the like: tiny amounts; 20 places keep every digit that matters for rounding to cents.
  return Math.abs(value) < 1 ? value.toFixed(20) : BigInt(Math.round(value)).toString();
}

/** Rounds a decimal string to `places` decimals, half away from zero; returns { negative, whole, fraction }. */
function round(text, places) {
  let negative = text.startsWith("-");
  const unsigned = negative ? text.slice(1) : text;
  const [wholePart, fractionPart = ""] = unsigned.split(".");
  let digits = (wholePart + fractionPart.padEnd(places, "0").slice(0, places)).replace(/^0+(?=\d)/, "");
  const next = fractionPart.charAt(places);
  if (next !== "" && next >= "5") {
    digits = increment(digits);
  }
  digits = digits.padStart(places + 1, "0");
  const whole = digits.slice(0, digits.length - places);
  const fraction = digits.slice(digits.length - places);
  if (/^0*$/.test(whole + fraction)) {
    negative = false; // -0.001 shows as 0.00
  }
  return { negative, whole, fraction };
}

function increment(digits) {
  const chars = digits.split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] === "9") {
      chars[i] = "0";
    } else {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
  }
  return "1" + chars.join("");
}

function group(whole) {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `value` rounded to `places` decimals with thousands separators ("1,234.57"). */
export function fixed(value, places) {
  if (value === null || value === undefined) {
    return DASH;
  }
  const r = round(decimalString(value), places);
  return (r.negative ? "-" : "") + group(r.whole) + (places > 0 ? "." + r.fraction : "");
}

/** Whether a cost is shown without cents: above $100. */
export function dropsCents(value) {
  return Math.abs(value) > 100;
}

/** A cost in USD: "$33.22"; above $100 without cents and with separators: "$1,234". */
export function money(value) {
  if (value === null || value === undefined) {
    return DASH;
  }
  const r = round(decimalString(value), dropsCents(value) ? 0 : 2);
  return (r.negative ? "-" : "") + "$" + group(r.whole) + (r.fraction ? "." + r.fraction : "");
}

/** A change in cost with its sign: "+$3.57", "-$1,204", "$0.00". */
export function signedMoney(value) {
  if (value === null || value === undefined) {
    return DASH;
  }
  const shown = money(value);
  return value > 0 && shown !== "$0.00" && shown !== "$0" ? "+" + shown : shown;
}

/** A whole number with separators: "16,234,443". */
export function integer(value) {
  return fixed(value, 0);
}

/** A count with its sign: "+1,200", "-13". */
export function signedInteger(value) {
  if (value === null || value === undefined) {
    return DASH;
  }
  return (value > 0 ? "+" : "") + integer(value);
}

/** A ratio (0.99418) as a percentage with one decimal ("99.4%"); null shows a dash. */
export function rate(value, places = 1) {
  if (value === null || value === undefined) {
    return DASH;
  }
  return fixed(shiftTwo(decimalString(value)), places) + "%";
}

/** A signed ratio as a percentage ("+105.9%"). */
export function signedRate(value) {
  if (value === null || value === undefined) {
    return DASH;
  }
  return (value > 0 ? "+" : "") + rate(value);
}

/** A percentage that is already in percent (67.25 → "67%"). */
export function percent(value, places = 0) {
  if (value === null || value === undefined) {
    return DASH;
  }
  return fixed(value, places) + "%";
}

/** Multiplies a decimal string by 100 by moving the point: exact. */
function shiftTwo(text) {
  const negative = text.startsWith("-");
  const unsigned = negative ? text.slice(1) : text;
  const [whole, fraction = ""] = unsigned.split(".");
  const padded = fraction.padEnd(2, "0");
  const shifted = (whole + padded.slice(0, 2)).replace(/^0+(?=\d)/, "") + (padded.length > 2 ? "." + padded.slice(2) : "");
  return (negative ? "-" : "") + shifted;
}

/** A duration: "45s", "12m", "3h 05m", "2d 4h". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return DASH;
  }
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) {
    return `${s}s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes}m`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours}h ${String(minutes % 60).padStart(2, "0")}m`;
  }
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** A token count for an axis or a tight label: "950", "12.3k", "4.56M", "1.2B". */
export function compact(value) {
  const v = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (v >= 1e9) {
    return sign + trim((v / 1e9).toFixed(2)) + "B";
  }
  if (v >= 1e6) {
    return sign + trim((v / 1e6).toFixed(2)) + "M";
  }
  if (v >= 1e3) {
    return sign + trim((v / 1e3).toFixed(1)) + "k";
  }
  return sign + String(Math.round(v));
}

/** An axis label for money (not a figure from the API: a gridline's value). */
export function axisMoney(value) {
  if (value >= 1000) {
    return "$" + compact(value);
  }
  return "$" + trim(value.toFixed(value >= 10 ? 0 : 2));
}

function trim(text) {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A day ("2026-11-20") as "Nov 20". */
export function shortDay(day) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
}

/** An instant as a date and time in `zone` ("Nov 20, 17:42"). */
export function dateTime(iso, zone) {
  if (!iso) {
    return DASH;
  }
  const options = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Date(iso).toLocaleString("en-US", { ...options, timeZone: zone });
  } catch {
    return new Date(iso).toLocaleString("en-US", { ...options, timeZone: "UTC" }) + " UTC";
  }
}

/** How long ago an instant was, from `now` (both ISO strings): "3m ago". */
export function ago(iso, now) {
  if (!iso || !now) {
    return DASH;
  }
  return duration((Date.parse(now) - Date.parse(iso)) / 1000) + " ago";
}
