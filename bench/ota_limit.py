#!/usr/bin/env python3
"""ota_limit.py - the transfer limit of an OTA upload by the same rules as wbota-emu's models
(docs/benchmarks.md#speed), computed independently of them:

link  (docs/emulator.md#link-limit): every LL packet of x payload bytes costs
      T(x) + 150 us + T(0) + 150 us, T(x) = (preamble + 4 + 2 + x + 3) * 8 / rate; at most
      `ppe` packets per connection event, all inside the interval; a write of v bytes is an
      L2CAP PDU of v + 7 bytes cut into packets of <= `dl` bytes.
flash (the emulator's FLASH model, DS11929 typicals): 81.7 us per programmed double word,
      22.02 ms per page erase; double words that are all 0xFF are not programmed.
Sem 7 CPU2 holds Sem 7 while its radio carries data and CPU1 holds it for each flash
      operation: the two never overlap, so per write: air time + flash time.

usage: ota_limit.py --image F --chunk V [--phy 2] [--dl 251] [--itv-us 15000] [--ppe 6]
prints: link_Bps flash_sem7_Bps limit_Bps (ATT payload bytes per second)
"""
import argparse
import math

IFS_US = 150.0
DW_US = 81.7
ERASE_US = 22020.0


def air_us(phy, x):
    return ((1 if phy == 1 else 2) + 4 + 2 + x + 3) * 8.0 / phy


def exchange_us(phy, x):
    return air_us(phy, x) + IFS_US + air_us(phy, 0) + IFS_US


def fragments(v, dl):
    left, out = v + 7, []
    while left > 0:
        n = min(left, dl)
        out.append(n)
        left -= n
    return out


def link_bps(phy, dl, itv, ppe, v):
    """Writes packed back to back into 200 events (a write may span two events)."""
    t_end, anchor, t, pkts, done = 200 * itv, 0.0, 0.0, 0, 0
    frags = [exchange_us(phy, n) for n in fragments(v, dl)]
    while True:
        for ex in frags:
            if pkts >= ppe or t + ex > anchor + itv:
                anchor += itv
                t, pkts = anchor, 0
            t += ex
            pkts += 1
        if t > t_end:
            return done * v / (t_end / 1e6)
        done += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--image", required=True)
    ap.add_argument("--chunk", type=int, required=True)
    ap.add_argument("--phy", type=int, default=2)
    ap.add_argument("--dl", type=int, default=251)
    ap.add_argument("--itv-us", type=float, default=15000.0)
    ap.add_argument("--ppe", type=int, default=6)
    a = ap.parse_args()
    data = open(a.image, "rb").read()
    dws = [data[i:i + 8] for i in range(0, len(data), 8)]
    programmed = sum(1 for d in dws if d.ljust(8, b"\xff") != b"\xff" * 8)
    frac = programmed / max(1, len(dws))
    v = a.chunk
    link = link_bps(a.phy, a.dl, a.itv_us, a.ppe, v)
    air_w = sum(exchange_us(a.phy, n) for n in fragments(v, a.dl))
    flash_w = frac * (v / 8.0) * DW_US
    shared = v / ((air_w + flash_w) / 1e6)
    print("%.0f %.0f %.0f" % (link, shared, min(link, shared)))


if __name__ == "__main__":
    main()
