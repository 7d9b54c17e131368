#!/usr/bin/env python3
"""Feed mmmbench's baseline_metrics.json to the seed's own BaselineCollector.generate_baseline_report.

Proves the JSON export is the seed's format: every item is rebuilt with `BaselineMetric(**item)` (so the keys must be
exactly the seed's) and the seed's pandas code computes its report from them. Needs pandas.

usage: seed_report_from_json.py METRICS_JSON OUT_MD
"""
import datetime
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import seed_collect_baseline as seed  # noqa: E402

metrics_path, out_path = sys.argv[1], sys.argv[2]
collector = seed.BaselineCollector("http://unused", os.path.basename(metrics_path))
with open(metrics_path) as f:
    for item in json.load(f):
        item["timestamp"] = datetime.datetime.fromisoformat(item["timestamp"])
        collector.metrics.append(seed.BaselineMetric(**item))
with open(out_path, "w") as f:
    f.write(collector.generate_baseline_report())
print(f"seed report from {len(collector.metrics)} metrics written to {out_path}")
