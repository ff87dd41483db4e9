#!/usr/bin/python3
"""Turn the hyperfine JSON exports written by bench/run into a Markdown table.

Usage: report.py JSONDIR WORKLOADS_TSV [RSS_KB]

WORKLOADS_TSV has one line per workload: "<id>\t<label>", in table order.
For each id, JSONDIR holds either <id>.json (one hyperfine run with the three
variants native, proot, umview, in that order) or <id>-<variant>.json (one
hyperfine run per variant, used when the combined run failed); a variant with
no file failed and is shown as "failed".  The workload with id "true" is the
start-up measurement: its umview - native difference is subtracted from the
umview mean of every other workload in the last column.
"""
import json
import os
import sys

VARIANTS = ("native", "proot", "umview")

# Targets, also described in bench/RESULTS.md.
TARGET_RATIO = 1.15       # umview / native once start-up is subtracted
TARGET_TRUE_S = 0.6       # mean of `umview true`
TARGET_RSS_MB = 250       # supervisor peak RSS


def load(jsondir, wid):
    """Return {variant: (mean, stddev)} for one workload."""
    out = {}
    combined = os.path.join(jsondir, wid + ".json")
    if os.path.exists(combined):
        with open(combined) as f:
            results = json.load(f)["results"]
        for variant, r in zip(VARIANTS, results):
            out[variant] = (r["mean"], r.get("stddev") or 0.0)
        return out
    for variant in VARIANTS:
        path = os.path.join(jsondir, "%s-%s.json" % (wid, variant))
        if os.path.exists(path):
            with open(path) as f:
                r = json.load(f)["results"][0]
            out[variant] = (r["mean"], r.get("stddev") or 0.0)
    return out


def fmt_time(m):
    mean, sd = m
    return "%.3f ± %.3f" % (mean, sd)


def main():
    jsondir, tsv = sys.argv[1], sys.argv[2]
    rss_kb = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None

    workloads = []
    with open(tsv) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                wid, label = line.split("\t", 1)
                workloads.append((wid, label))

    data = {wid: load(jsondir, wid) for wid, _ in workloads}

    startup = None
    t = data.get("true", {})
    if "native" in t and "umview" in t:
        startup = t["umview"][0] - t["native"][0]

    print("| workload | native mean (s) | proot mean (s) | proot / native "
          "| umview mean (s) | umview / native | umview / native, start-up subtracted |")
    print("|---|---:|---:|---:|---:|---:|---:|")

    worst = None  # (ratio, label)
    for wid, label in workloads:
        d = data[wid]
        cells = ["`%s`" % label.replace("|", "\\|")]
        native = d.get("native")
        cells.append(fmt_time(native) if native else "failed")
        for variant in ("proot", "umview"):
            v = d.get(variant)
            cells.append(fmt_time(v) if v else "failed")
            if v and native and native[0] > 0:
                cells.append("%.2fx" % (v[0] / native[0]))
            else:
                cells.append("—")
        umview = d.get("umview")
        if wid == "true":
            cells.append("— (start-up: %.3f s)" % startup if startup is not None else "—")
        elif umview and native and native[0] > 0 and startup is not None:
            r = (umview[0] - startup) / native[0]
            cells.append("%.2fx" % r)
            if worst is None or r > worst[0]:
                worst = (r, label)
        else:
            cells.append("—")
        print("| " + " | ".join(cells) + " |")

    print()
    if startup is not None:
        print("Start-up subtracted (`umview true` - native `true`): %.3f s." % startup)
    if rss_kb is not None:
        print("supervisor peak RSS: %d MB (GNU time `%%M` on "
              "`bin/umview bash -c 'find /usr -xdev >/dev/null'`; that is the largest "
              "single process of the tree it waits on, i.e. the supervisor JVM, since "
              "bin/umview execs java)." % round(rss_kb / 1024))
    else:
        print("supervisor peak RSS: not measured (the measurement failed).")

    print()
    print("Targets:")
    if worst is not None:
        ok = worst[0] <= TARGET_RATIO
        print("- every workload within %.2fx of native once start-up is subtracted: %s "
              "(worst: `%s` at %.2fx)" % (TARGET_RATIO, "met" if ok else "MISSED",
                                          worst[1], worst[0]))
    else:
        print("- every workload within %.2fx of native once start-up is subtracted: "
              "not measured" % TARGET_RATIO)
    ut = t.get("umview")
    if ut:
        print("- `umview true` under %.1f s: %s (%.3f s)"
              % (TARGET_TRUE_S, "met" if ut[0] < TARGET_TRUE_S else "MISSED", ut[0]))
    else:
        print("- `umview true` under %.1f s: not measured" % TARGET_TRUE_S)
    if rss_kb is not None:
        mb = rss_kb / 1024
        print("- supervisor peak RSS under %d MB: %s (%d MB)"
              % (TARGET_RSS_MB, "met" if mb < TARGET_RSS_MB else "MISSED", round(mb)))
    else:
        print("- supervisor peak RSS under %d MB: not measured" % TARGET_RSS_MB)


if __name__ == "__main__":
    main()
