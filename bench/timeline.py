#!/usr/bin/env python3
"""timeline.py - draws where the time of an OTA upload goes, from wbota-emu's trace
(`wbota-emu --trace radio,cpu2,flash ...` written to a log), as a hand-written SVG:

  top:    image bytes delivered to the device vs simulated time, with lost connection events
          (CPU1 held Sem 7 when CPU2 needed it) and page erases marked;
  bottom: a zoom (--zoom-ms, default 4 connection intervals from --zoom-at-ms) with one lane
          each for the packets CPU2 received, CPU2's Sem 7 holds (radio busy), CPU1's flash
          operations (each one a Sem 7 hold by CPU1) and the lost events.

usage: timeline.py LOG OUT.svg [--zoom-at-ms T] [--zoom-ms 60] [--title TEXT]
Trace lines used: "CPU2 air: write H len N", "CPU2 takes Sem 7", "CPU2 releases Sem 7",
"program 0x...", "erase page 0x...", "connection event missed".
"""
import argparse
import re

LINE = re.compile(r"^EMU TRACE\s+(\d+) us (.*)$")
DW_US = 81.7
ERASE_US = 22020.0


def parse(path):
    ev = {"rx": [], "hold": [], "prog": [], "erase": [], "miss": []}
    hold_start = None
    for raw in open(path, errors="replace"):
        m = LINE.match(raw)
        if not m:
            continue
        t, text = int(m.group(1)), m.group(2)
        w = re.match(r"CPU2 air: write 0x([0-9A-Fa-f]+) len (\d+)", text)
        if w:
            ev["rx"].append((t, int(w.group(2))))
        elif text.startswith("CPU2 takes Sem 7"):
            hold_start = t
        elif text.startswith("CPU2 releases Sem 7") and hold_start is not None:
            ev["hold"].append((hold_start, t))
            hold_start = None
        elif text.startswith("program 0x"):
            ev["prog"].append(t)
        elif text.startswith("erase page"):
            ev["erase"].append(t)
        elif "connection event missed" in text:
            ev["miss"].append(t)
    return ev


def svg_text(x, y, s, size=11, anchor="start", color="#222"):
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    return ('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" fill="%s" '
            'font-family="sans-serif">%s</text>' % (x, y, size, anchor, color, s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("out")
    ap.add_argument("--zoom-at-ms", type=float, default=None)
    ap.add_argument("--zoom-ms", type=float, default=60.0)
    ap.add_argument("--title", default="OTA upload timeline (simulated time)")
    a = ap.parse_args()
    ev = parse(a.log)
    rx = [(t, n) for t, n in ev["rx"] if n > 20] or ev["rx"]
    if not rx:
        raise SystemExit("timeline: no received writes in the trace (use --trace radio,cpu2,flash)")
    t0, t1 = rx[0][0], rx[-1][0]
    W, L, R = 1000, 70, 20
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="560" '
           'viewBox="0 0 %d 560">' % (W, W), '<rect width="100%" height="100%" fill="white"/>',
           svg_text(W / 2, 20, a.title, 14, "middle")]
    # ---- top: bytes vs time ----
    top, h = 40, 200
    span = max(1, t1 - t0)
    total = sum(n for _, n in rx)
    X = lambda t: L + (t - t0) * (W - L - R) / span
    Y = lambda b: top + h - b * h / total
    pts, acc = [], 0
    for t, n in rx:
        acc += n
        pts.append("%.1f,%.1f" % (X(t), Y(acc)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#999"/>'
               % (L, top, W - L - R, h))
    for t in ev["erase"]:
        if t0 <= t <= t1:
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#f4c542" '
                       'opacity="0.6"/>' % (X(t), top, max(1, X(t + ERASE_US) - X(t)), h))
    for t in ev["miss"]:
        if t0 <= t <= t1:
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d62728" '
                       'stroke-opacity="0.35"/>' % (X(t), top + h - 12, X(t), top + h))
    out.append('<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="%s"/>'
               % " ".join(pts))
    secs = span / 1e6
    out.append(svg_text(L, top + h + 16, "%.3f s" % (t0 / 1e6), 10))
    out.append(svg_text(W - R, top + h + 16, "%.3f s" % (t1 / 1e6), 10, "end"))
    out.append(svg_text(L - 6, top + 10, "%d kB" % (total // 1000), 10, "end"))
    out.append(svg_text(L - 6, top + h, "0", 10, "end"))
    missed = sum(1 for t in ev["miss"] if t0 <= t <= t1)
    out.append(svg_text(L + 8, top + 16, "bytes delivered: %d B in %.2f s = %.1f kB/s; "
                        "%d connection events lost (red ticks); %d page erases (yellow)"
                        % (total, secs, total / secs / 1000, missed,
                           sum(1 for t in ev["erase"] if t0 <= t <= t1)), 11))
    # ---- bottom: zoom ----
    z0 = (a.zoom_at_ms * 1000 if a.zoom_at_ms is not None else t0 + span / 2)
    z1 = z0 + a.zoom_ms * 1000
    ztop = 290
    ZX = lambda t: L + (t - z0) * (W - L - R) / (z1 - z0)
    lanes = [("packets rx", "#1f77b4"), ("CPU2 Sem 7", "#2ca02c"), ("CPU1 flash", "#ff7f0e"),
             ("lost event", "#d62728")]
    lane_h = 44
    out.append(svg_text(L, ztop - 10, "zoom: %.1f-%.1f ms (simulated)" % (z0 / 1000, z1 / 1000),
                        12))
    for i, (name, color) in enumerate(lanes):
        y = ztop + i * (lane_h + 8)
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="#f7f7f7" stroke="#ccc"/>'
                   % (L, y, W - L - R, lane_h))
        out.append(svg_text(L - 6, y + lane_h / 2 + 4, name, 10, "end", color))
    clip = lambda a_, b_: (max(a_, z0), min(b_, z1))
    y = ztop
    for t, n in ev["rx"]:
        if z0 <= t <= z1:
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#1f77b4" '
                       'stroke-width="2"/>' % (ZX(t), y + 4, ZX(t), y + lane_h - 4))
    y += lane_h + 8
    for s, e in ev["hold"]:
        s2, e2 = clip(s, e)
        if s2 < e2:
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#2ca02c"/>'
                       % (ZX(s2), y + 6, max(0.8, ZX(e2) - ZX(s2)), lane_h - 12))
    y += lane_h + 8
    for t in ev["prog"]:
        s2, e2 = clip(t, t + DW_US)
        if s2 < e2:
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#ff7f0e"/>'
                       % (ZX(s2), y + 6, max(0.8, ZX(e2) - ZX(s2)), lane_h - 12))
    for t in ev["erase"]:
        s2, e2 = clip(t, t + ERASE_US)
        if s2 < e2:
            out.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#f4c542"/>'
                       % (ZX(s2), y + 6, max(0.8, ZX(e2) - ZX(s2)), lane_h - 12))
    y += lane_h + 8
    for t in ev["miss"]:
        if z0 <= t <= z1:
            out.append('<circle cx="%.1f" cy="%d" r="5" fill="#d62728"/>' % (ZX(t), y + lane_h // 2))
    y += lane_h + 18
    step = 5000 if (z1 - z0) <= 100000 else 20000
    tt = (int(z0) // step + 1) * step
    while tt < z1:
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#bbb"/>'
                   % (ZX(tt), ztop, ZX(tt), y - 14))
        out.append(svg_text(ZX(tt), y, "%.0f ms" % (tt / 1000), 9, "middle"))
        tt += step
    out.append("</svg>")
    open(a.out, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
