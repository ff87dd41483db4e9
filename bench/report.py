#!/usr/bin/python3
"""Turn the hyperfine JSON exports written by bench/run into a Markdown table.

Usage: report.py JSONDIR WORKLOADS_TSV [RSS_KB]

WORKLOADS_TSV has one line per workload: "<id>\t<label>[\t<unreal label>]", in
table order (the unreal label is the workload's command line under /unreal).
For each id, JSONDIR holds either <id>.json (one hyperfine run with the
variants of VARIANTS, named by --command-name) or <id>-<variant>.json (one
hyperfine run per variant, used when the combined run failed).  A variant with
no file, with a run that exited non-zero, or with a <id>-<variant>.fail file
(exit status, command line, end of stderr, written by bench/run) is shown as
failing.  The workload with id "true" is the start-up measurement: for each
umview variant, its `true` mean minus native `true` is subtracted from that
variant's mean of every other workload in its "start-up subtracted" column.
"""
import json
import os
import sys

# The variants bench/run measured (it says which in BENCH_VARIANTS), in column order.
VARIANTS = tuple(os.environ.get("BENCH_VARIANTS",
                                "native proot umview umview+module unreal").split())
# Variants whose start-up (their `true` minus native `true`) is subtracted.
UMVIEW_VARIANTS = tuple(v for v in VARIANTS if v.startswith("umview") or v == "unreal")

# Targets, also described in bench/RESULTS.md.
TARGET_RATIO = 1.05       # umview / native once start-up is subtracted (issue 12)
TARGET_TRUE_S = 0.2       # mean of `umview true` (issue 12)
TARGET_RSS_MB = 250       # supervisor peak RSS
# umview+module (a path module mounted elsewhere) / native, start-up subtracted.
TARGET_MODULE = {"find": 1.3, "tar": 1.3, "gcc": 1.3, "fork": 1.3, "dd": 1.05}


class Result:
    def __init__(self, mean=None, sd=0.0, ok=True, rc=None, cmd=None, stderr=(), cpu=None):
        self.mean, self.sd, self.ok, self.cpu = mean, sd, ok, cpu
        self.rc, self.cmd, self.stderr = rc, cmd, list(stderr)


def from_json(r):
    codes = r.get("exit_codes") or [None]
    ok = all(c == 0 for c in codes)
    rc = next((c for c in codes if c != 0), None)
    cpu = r["user"] + r["system"] if "user" in r and "system" in r else None
    return Result(r["mean"], r.get("stddev") or 0.0, ok, rc, cpu=cpu)


def load(jsondir, wid):
    """Return {variant: Result} for one workload (variants with no data are absent)."""
    out = {}
    combined = os.path.join(jsondir, wid + ".json")
    if os.path.exists(combined):
        with open(combined) as f:
            results = json.load(f)["results"]
        if all(r.get("command") in VARIANTS for r in results):
            for r in results:
                out[r["command"]] = from_json(r)
        else:
            for variant, r in zip(VARIANTS, results):
                out[variant] = from_json(r)
    for variant in VARIANTS:
        path = os.path.join(jsondir, "%s-%s.json" % (wid, variant))
        if variant not in out and os.path.exists(path):
            with open(path) as f:
                out[variant] = from_json(json.load(f)["results"][0])
        fail = os.path.join(jsondir, "%s-%s.fail" % (wid, variant))
        if os.path.exists(fail):
            with open(fail) as f:
                lines = f.read().splitlines()
            res = out.setdefault(variant, Result())
            res.ok = False
            res.rc = lines[0] if lines else "?"
            res.cmd = lines[1] if len(lines) > 1 else None
            res.stderr = lines[2:]
    return out


def fmt_time(res):
    return "%.3f ± %.3f" % (res.mean, res.sd)


def fails(res):
    if res is None or res.mean is None:
        return "fails"
    return "fails (exit %s)" % (res.rc if res.rc is not None else "?")


def main():
    jsondir, tsv = sys.argv[1], sys.argv[2]
    rss_kb = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None

    workloads = []
    with open(tsv) as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                parts = line.split("\t")
                workloads.append((parts[0], parts[1], parts[2] if len(parts) > 2 else ""))

    data = {wid: load(jsondir, wid) for wid, _, _ in workloads}

    def good(wid, variant):
        r = data.get(wid, {}).get(variant)
        return r if r is not None and r.ok and r.mean is not None else None

    startup = {}
    nt = good("true", "native")
    for v in UMVIEW_VARIANTS:
        vt = good("true", v)
        if nt and vt:
            startup[v] = vt.mean - nt.mean

    header = ["workload", "native mean (s)"]
    for variant in VARIANTS[1:]:
        header += ["%s mean (s)" % variant, "%s / native" % variant]
        if variant in UMVIEW_VARIANTS:
            header.append("%s / native, start-up subtracted" % variant)
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))

    subtracted = {v: {} for v in UMVIEW_VARIANTS}   # variant -> {wid: ratio}
    for wid, label, _ in workloads:
        d = data[wid]
        cells = ["`%s`" % label.replace("|", "\\|")]
        native = good(wid, "native")
        cells.append(fmt_time(native) if native else fails(d.get("native")))
        for variant in VARIANTS[1:]:
            v = good(wid, variant)
            cells.append(fmt_time(v) if v else fails(d.get(variant)))
            if v and native and native.mean > 0:
                cells.append("%.2fx" % (v.mean / native.mean))
            else:
                cells.append("—")
            if variant not in UMVIEW_VARIANTS:
                continue
            if wid == "true":
                cells.append("— (start-up: %.3f s)" % startup[variant]
                             if variant in startup else "—")
            elif v and native and native.mean > 0 and variant in startup:
                r = (v.mean - startup[variant]) / native.mean
                cells.append("%.2fx" % r)
                subtracted[variant][wid] = r
            else:
                cells.append("—")
        print("| " + " | ".join(cells) + " |")

    print()
    print("CPU time beyond native's (user + system of the whole tree, hyperfine's means, minus "
          "native's; that is the supervisor's and the kernel's work for the stops and "
          "notifications, start-up included; seconds):")
    print()
    print("| workload | " + " | ".join(UMVIEW_VARIANTS) + " |")
    print("|---|" + "---:|" * len(UMVIEW_VARIANTS))
    for wid, label, _ in workloads:
        native = good(wid, "native")
        cells = ["`%s`" % label.replace("|", "\\|")]
        for variant in UMVIEW_VARIANTS:
            v = good(wid, variant)
            ok = v and native and v.cpu is not None and native.cpu is not None
            cells.append("%.3f" % (v.cpu - native.cpu) if ok else "—")
        print("| " + " | ".join(cells) + " |")

    print()
    print("The unreal column runs each workload with the paths it touches under /unreal:")
    print()
    for wid, label, ulabel in workloads:
        if ulabel:
            print("- %s: `%s`" % (wid, ulabel))
    print()
    for v in UMVIEW_VARIANTS:
        if v in startup:
            print("Start-up subtracted for %s (`%s true` - native `true`): %.3f s."
                  % (v, v, startup[v]))
        else:
            print("Start-up for %s: not measured (its `true` run failed)." % v)
    print()
    if rss_kb is not None:
        print("supervisor peak RSS: %d MB (GNU time `%%M` on "
              "`bin/umview bash -c 'find /usr -xdev >/dev/null'`; that is the largest "
              "single process of the tree it waits on, i.e. the supervisor JVM, since "
              "bin/umview execs java)." % round(rss_kb / 1024))
    else:
        print("supervisor peak RSS: not measured (the measurement failed).")

    print()
    print("Targets:")
    plain = subtracted.get("umview", {})
    if plain:
        worst = max(plain, key=plain.get)
        label = dict((w, l) for w, l, _ in workloads)[worst]
        ok = plain[worst] <= TARGET_RATIO
        print("- umview, no module: every workload within %.2fx of native once start-up is "
              "subtracted: %s (worst: `%s` at %.2fx)"
              % (TARGET_RATIO, "met" if ok else "MISSED", label, plain[worst]))
    else:
        print("- umview, no module: every workload within %.2fx of native once start-up is "
              "subtracted: not measured" % TARGET_RATIO)
    ut = good("true", "umview")
    if ut:
        print("- `umview true` under %.1f s: %s (%.3f s)"
              % (TARGET_TRUE_S, "met" if ut.mean < TARGET_TRUE_S else "MISSED", ut.mean))
    else:
        print("- `umview true` under %.1f s: not measured" % TARGET_TRUE_S)
    if rss_kb is not None:
        mb = rss_kb / 1024
        print("- supervisor peak RSS under %d MB: %s (%d MB)"
              % (TARGET_RSS_MB, "met" if mb < TARGET_RSS_MB else "MISSED", round(mb)))
    else:
        print("- supervisor peak RSS under %d MB: not measured" % TARGET_RSS_MB)
    mod = subtracted.get("umview+module", {})
    for wid, label, _ in workloads:
        if wid not in TARGET_MODULE:
            continue
        target = TARGET_MODULE[wid]
        if wid in mod:
            print("- umview+module (path module mounted elsewhere), `%s` within %.1fx of "
                  "native, start-up subtracted: %s (%.2fx)"
                  % (label.replace("|", "\\|"), target,
                     "met" if mod[wid] <= target else "MISSED", mod[wid]))
        else:
            print("- umview+module (path module mounted elsewhere), `%s` within %.1fx of "
                  "native, start-up subtracted: not measured"
                  % (label.replace("|", "\\|"), target))
    print("- unreal (files served by the unreal module): no target; the column is the "
          "baseline for module-served I/O.")

    failures = [(wid, v, data[wid].get(v)) for wid, _, _ in workloads for v in VARIANTS
                if not good(wid, v)]
    if failures:
        print()
        print("Failures:")
        for wid, v, res in failures:
            if res is None:
                print("- %s, %s: no measurement" % (wid, v))
                continue
            print("- %s, %s: exit %s" % (wid, v, res.rc if res.rc is not None else "?"))
            if res.cmd:
                print("  - command: `%s`" % res.cmd)
            if res.stderr:
                print("  - stderr: `%s`" % " / ".join(res.stderr).replace("`", "'"))


if __name__ == "__main__":
    main()
