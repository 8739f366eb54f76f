// heptap's page: plain JavaScript, no library, nothing fetched from anywhere but this agent.
// Status, loss ledger and rate charts from /api/status, /api/stats, /api/rates; calls from
// /api/calls; a call's ladder and quality from /api/calls/ID; its pcap is /api/calls/ID/pcap.
"use strict";

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 3000;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k === "style") e.style.cssText = v; // through CSSOM: the page's CSP forbids inline style attributes
    else if (k.startsWith("on")) e.addEventListener(k.substring(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : String(c ?? ""));
  return e;
}

function table(t, head, rows) {
  t.replaceChildren(
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows));
}

function num(v) {
  return el("td", { class: "num" }, v === undefined || v === null ? "" : Number(v).toLocaleString("en"));
}

async function getJson(path) {
  const r = await fetch(path, { cache: "no-store" });
  const body = await r.json().catch(() => ({ ok: false, error: r.status + " " + r.statusText }));
  body.httpStatus = r.status;
  return body;
}

// ---- status -------------------------------------------------------------------------------

async function refreshHealth() {
  const h = await getJson("/health");
  const b = $("health");
  b.textContent = h.healthy ? "healthy" : "unhealthy";
  b.className = "badge " + (h.healthy ? "ok" : "bad");
  $("problems").replaceChildren(...(h.problems || []).map((p) => el("div", {}, p)));
}

async function refreshStatus() {
  const s = await getJson("/api/status");
  if (!s.ok) return;
  $("agent").textContent = "version " + s.version + ", up " + duration(s["uptime-seconds"] * 1000)
    + ", " + s.config + (s.reloads ? ", reloaded " + s.reloads + "x" : "");
  table($("sockets"), ["socket", "state", "where", "captured"], s.sockets.map((k) => el("tr", {},
    el("td", {}, k.name), el("td", {}, k.state),
    el("td", {}, k.listen || (k.device + " " + k.ports)), num(k.captured))));
  table($("transports"), ["transport", "collectors", "sent", "queued", "lost"], s.transports.map((t) => {
    const c = t.counters || {};
    let lost = 0;
    for (const [k, v] of Object.entries(c)) {
      if (!["sent", "bytes", "queued", "spooled", "replayed", "reconnects", "buffered"].includes(k)
          && !k.includes(" ") && typeof v === "number") lost += v;
    }
    const collectors = Object.entries(t.collectors || {}).map(([target, up]) =>
      el("span", { class: up ? "ok-text" : "bad-text" }, (up ? "● " : "✖ ") + target + " "));
    return el("tr", {}, el("td", { title: t.describe }, t.name),
      el("td", {}, ...(collectors.length ? collectors : [t.describe])),
      num(c.sent), num(c.queued), num(lost));
  }));
}

async function refreshLedger() {
  const s = await getJson("/api/stats");
  if (!s.ok) return;
  const rows = s.ledger.stages.map((st) => {
    const losses = Object.entries(st.losses).filter(([, v]) => v !== 0)
      .map(([k, v]) => k + " " + Number(v).toLocaleString("en")).join(", ");
    return el("tr", {}, el("td", {}, st.stage), el("td", {}, st.scope), num(st.in), num(st.out),
      el("td", {}, losses || "—"),
      el("td", { class: st.balanced ? "ok-text" : "bad-text" }, st.balanced ? "balances" : "DOES NOT BALANCE"));
  });
  table($("ledger"), ["stage", "scope", "in", "out", "losses", ""], rows);
}

// ---- rate charts ---------------------------------------------------------------------------

function series(samples, pick) {
  const out = [];
  for (let i = 1; i < samples.length; i++) {
    const a = pick(samples[i - 1]), b = pick(samples[i]);
    const dt = (samples[i].millis - samples[i - 1].millis) / 1000;
    if (a === undefined || b === undefined || dt <= 0) continue;
    out.push([samples[i].millis, Math.max(0, (b - a) / dt)]);
  }
  return out;
}

// x runs over the samples kept (15 minutes once the agent has run that long, at least one)
function chart(title, lines, oldest, unit = "/s", newest = Date.now(), minSpan = 60 * 1000) {
  const w = 300, h = 90, now = newest;
  const span = Math.min(15 * 60 * 1000, Math.max(minSpan, now - oldest));
  let max = 1;
  for (const l of lines) for (const [, v] of l.points) max = Math.max(max, v);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const colors = ["#2f6fd6", "#d35400", "#2e8540", "#8e44ad"];
  lines.forEach((l, i) => {
    const pts = l.points.map(([t, v]) =>
      `${((t - (now - span)) / span * w).toFixed(1)},${(h - 4 - v / max * (h - 14)).toFixed(1)}`).join(" ");
    const p = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
    p.setAttribute("points", pts);
    p.setAttribute("fill", "none");
    p.setAttribute("stroke", colors[i % colors.length]);
    p.setAttribute("stroke-width", "1.5");
    p.setAttribute("vector-effect", "non-scaling-stroke");
    svg.append(p);
  });
  const legend = lines.map((l, i) => {
    const last = l.points.length ? l.points[l.points.length - 1][1] : 0;
    return el("span", { style: "color:" + colors[i % colors.length] + ";margin-right:8px" },
      l.name + " " + last.toFixed(unit === "/s" ? 1 : 2) + unit);
  });
  return el("div", { class: "chart" }, el("h3", {}, title, " ", el("span", { class: "muted" }, "max " + max.toFixed(1) + unit)),
    svg, el("div", {}, ...legend));
}

async function refreshRates() {
  const r = await getJson("/api/rates");
  if (!r.ok && r.ok !== undefined) return;
  const samples = r.samples || [];
  $("rate-note").textContent = "(a sample every " + r["interval-seconds"] + " s)";
  const charts = [];
  const first = samples[samples.length - 1];
  const oldest = samples.length ? samples[0].millis : Date.now();
  if (first) {
    for (const name of Object.keys(first.sockets)) {
      charts.push(chart("socket " + name, [
        { name: "captured", points: series(samples, (s) => s.sockets[name] && s.sockets[name].captured) },
        { name: "sent by plan", points: series(samples, (s) => s.sockets[name] && s.sockets[name]["plan-sent"]) }],
      oldest));
    }
    for (const name of Object.keys(first.transports)) {
      charts.push(chart("transport " + name, [
        { name: "sent", points: series(samples, (s) => s.transports[name] && s.transports[name].sent) },
        { name: "dropped", points: series(samples, (s) => s.transports[name] && s.transports[name].dropped) }],
      oldest));
    }
  }
  $("charts").replaceChildren(...charts);
}

// ---- calls ---------------------------------------------------------------------------------

function duration(ms) {
  if (!(ms >= 0)) return "";
  const s = Math.round(ms / 1000);
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  return Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " min";
}

function worstMos(quality) {
  const m = (quality || []).map((q) => q.mos).filter((v) => typeof v === "number");
  return m.length ? Math.min(...m).toFixed(2) : "";
}

const CALL_COLUMNS = ["start", "Call-ID", "from", "to", "state", "duration", "frames", "MOS"];

async function refreshCalls() {
  const q = $("q").value.trim();
  const r = await getJson("/api/calls?limit=200" + (q ? "&q=" + encodeURIComponent(q) : ""));
  if (!r.ok) {
    $("calls-note").textContent = r.error || "";
    table($("calls"), CALL_COLUMNS, []);
    return;
  }
  $("calls-note").textContent = r.calls.length + " call(s)" + (q ? " matching " + q : "")
    + (r["media-quality"] ? "" : "; media quality is not measured");
  table($("calls"), CALL_COLUMNS, r.calls.map((c) => el("tr", { class: "click call-row", "data-call-id": c["call-id"],
      onclick: () => { location.hash = "#call/" + encodeURIComponent(c["call-id"]); } },
    el("td", {}, c.start ? new Date(c.start).toLocaleString() : ""), el("td", {}, c["call-id"]), el("td", {}, c.from),
    el("td", {}, c.to), el("td", {}, c.state), el("td", {}, duration(c["duration-seconds"] * 1000)),
    num(c.frames), el("td", {}, worstMos(c.quality)))));
}

// ---- one call: facts, quality over time, and the ladder of its messages ----------------------

let shownMessages = -1;

async function showCall(id, again) {
  const base = "/api/calls/" + encodeURIComponent(id);
  if (!again) {
    shownMessages = -1;
    $("call-title").textContent = "Call " + id;
    const d = $("download");
    d.href = base + "/pcap";
    d.setAttribute("download", id.replace(/[^A-Za-z0-9._-]/g, "_") + ".pcap");
  }
  const r = await getJson(base);
  if (!r.ok) {
    $("call-facts").replaceChildren(el("span", { class: "bad-text" }, r.error || "no such call"));
    return;
  }
  const c = r.call;
  $("call-facts").replaceChildren(...[["from", c.from], ["to", c.to], ["state", c.state],
    ["start", c.start ? new Date(c.start).toLocaleString() : ""], ["duration", duration(c["duration-seconds"] * 1000)],
    ["frames", c.frames]].map(([k, v]) => el("span", {}, el("b", {}, k + ": "), v ?? "")));
  showQuality(c.quality || [], Date.parse(c.start));
  const messages = (r.messages || []).map((m) => ({ time: Date.parse(m.time), src: m.src, dst: m.dst, text: m.text }));
  $("ladder-note").textContent = messages.length + " SIP message(s)" + (r["messages-cut"] ? " (the first ones)" : "");
  if (messages.length !== shownMessages) {
    shownMessages = messages.length;
    drawLadder(messages);
  }
}

function showQuality(quality, callStart) {
  table($("quality"), ["direction", "SSRC", "codec", "packets", "lost", "loss %", "jitter ms", "MOS", ""],
    quality.map((q) => el("tr", {}, el("td", {}, q.from + " → " + q.to), el("td", {}, q.ssrc), el("td", {}, q.codec),
      num(q.packets), num(q.lost), el("td", { class: "num" }, fixed(q.loss_percent, 2)),
      el("td", { class: "num" }, fixed(q.jitter_ms, 2)), el("td", { class: "num" }, fixed(q.mos, 2)),
      el("td", {}, q.live ? "live" : "ended"))));
  if (!quality.length) {
    $("quality").replaceChildren(el("tr", {}, el("td", { class: "muted" }, "no media measured for this call")));
  }
  const charts = [];
  for (const q of quality) {
    const samples = q.samples || [];
    if (!samples.length) continue;
    // a live direction's line runs on to its figures now
    const now = Date.now();
    const pts = (k) => samples.map((s) => [Date.parse(s.time), s[k]]).concat(q.live ? [[now, q[k]]] : []);
    const oldest = Math.min(Date.parse(samples[0].time), callStart || Infinity), newest = q.live ? now : Date.parse(samples[samples.length - 1].time);
    // x runs from the call's start over its samples (at least 10 s), not the status charts' 15 minutes
    charts.push(chart(q.from + " → " + q.to + " MOS", [{ name: "MOS", points: pts("mos") }], oldest, "", newest, 10000));
    charts.push(chart(q.from + " → " + q.to + " jitter and loss", [
      { name: "jitter ms", points: pts("jitter_ms") }, { name: "loss %", points: pts("loss_percent") }],
    oldest, "", newest, 10000));
  }
  $("quality-charts").replaceChildren(...charts);
}

function fixed(v, n) {
  return typeof v === "number" ? v.toFixed(n) : "";
}

function label(m) {
  const first = m.text.substring(0, m.text.indexOf("\r\n") >= 0 ? m.text.indexOf("\r\n") : m.text.length);
  return first.startsWith("SIP/2.0 ") ? first.substring(8) : first.split(" ")[0];
}

function drawLadder(messages) {
  const ns = "http://www.w3.org/2000/svg";
  const hosts = [];
  for (const m of messages) for (const a of [m.src, m.dst]) if (!hosts.includes(a)) hosts.push(a);
  const colW = 190, rowH = 26, top = 40, w = Math.max(1, hosts.length) * colW, h = top + messages.length * rowH + 20;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", w);
  svg.setAttribute("height", h);
  const x = (a) => hosts.indexOf(a) * colW + colW / 2;
  const mk = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const defs = mk("defs", {});
  const COLORS = { request: "#2f6fd6", ok: "#2e8540", error: "#c0392b" };
  for (const [name, fill] of Object.entries(COLORS)) {
    const marker = mk("marker", { id: "head-" + name, markerWidth: 8, markerHeight: 8, refX: 8, refY: 4, orient: "auto" });
    marker.append(mk("path", { d: "M0,0 L8,4 L0,8 z", fill }));
    defs.append(marker);
  }
  svg.append(defs);
  hosts.forEach((a) => {
    svg.append(mk("text", { x: x(a), y: 16, "text-anchor": "middle", "font-weight": "600" }, a));
    svg.append(mk("line", { x1: x(a), y1: 24, x2: x(a), y2: h, stroke: "#b8c0cc", "stroke-dasharray": "4 3" }));
  });
  const t0 = messages.length ? messages[0].time : 0;
  messages.forEach((m, i) => {
    const y = top + i * rowH + 14, x1 = x(m.src), x2 = x(m.dst);
    const g = mk("g", { class: "arrow", "data-index": i });
    const kind = /^SIP\/2\.0 [456]/.test(m.text) ? "error" : /^SIP\/2\.0 /.test(m.text) ? "ok" : "request";
    const color = COLORS[kind];
    if (x1 === x2) {
      g.append(mk("path", { d: `M${x1},${y - 6} h30 v10 h-28`, fill: "none", stroke: color, "marker-end": `url(#head-${kind})` }));
    } else {
      g.append(mk("line", { x1, y1: y, x2: x2 + (x2 > x1 ? -2 : 2), y2: y, stroke: color, "stroke-width": 1.5,
        "marker-end": `url(#head-${kind})` }));
    }
    g.append(mk("text", { class: "label", x: (x1 + x2) / 2 + (x1 === x2 ? 36 : 0), y: y - 4,
      "text-anchor": x1 === x2 ? "start" : "middle", fill: color }, label(m)));
    g.append(mk("text", { x: 4, y: y + 4, fill: "#7a8294" }, "+" + ((m.time - t0) / 1000).toFixed(3)));
    g.append(mk("rect", { x: Math.min(x1, x2) - 4, y: y - 16, width: Math.abs(x2 - x1) + 40, height: rowH - 4,
      fill: "transparent" }));
    g.addEventListener("click", () => {
      svg.querySelectorAll(".arrow.selected").forEach((s) => s.classList.remove("selected"));
      g.classList.add("selected");
      $("message").textContent = new Date(m.time).toISOString() + "  " + m.src + " → " + m.dst + "\n\n" + m.text;
    });
    svg.append(g);
  });
  $("ladder").replaceChildren(svg);
}

// ---- navigation and the live loop ----------------------------------------------------------

let timer = null;

function route() {
  const h = location.hash || "#status";
  const call = h.startsWith("#call/") ? decodeURIComponent(h.substring(6)) : null;
  $("view-status").hidden = h !== "#status";
  $("view-calls").hidden = h !== "#calls";
  $("view-call").hidden = call === null;
  $("nav-status").classList.toggle("active", h === "#status");
  $("nav-calls").classList.toggle("active", h === "#calls" || call !== null);
  if (call !== null) {
    $("message").textContent = "Click an arrow to read its message.";
    showCall(call, false).catch(report);
  }
  tick();
}

function report(e) {
  console.error(e);
}

async function tick() {
  clearTimeout(timer);
  try {
    await refreshHealth();
    const h = location.hash || "#status";
    if (h === "#status") await Promise.all([refreshStatus(), refreshLedger(), refreshRates()]);
    else if (h === "#calls") await refreshCalls();
    else if (h.startsWith("#call/")) await showCall(decodeURIComponent(h.substring(6)), true);
  } catch (e) {
    report(e);
  }
  timer = setTimeout(tick, REFRESH_MS);
}

window.addEventListener("hashchange", route);
document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (e) => { e.preventDefault(); refreshCalls().catch(report); });
  route();
});
