#!/usr/bin/env python3
"""Sets the defaults and uncertain ranges of the grade model's parameters in
src/CareSim.Model/Parameters/ModelParameterSet.cs to the committed fit
(data/calibration/grades/grade_fit.csv): estimate, 95% interval. Run after
`sim calibrate --data data --stage grades --out data/calibration/grades`; CommittedFitTests
checks that the two agree."""
import csv, re, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
source = root / "src/CareSim.Model/Parameters/ModelParameterSet.cs"
text = source.read_text()

def g(value):
    return f"{float(value):.4g}"

for row in csv.DictReader(open(root / "data/calibration/grades/grade_fit.csv")):
    name = row["parameter"]
    start = text.find(f'Define("{name}",')
    if start < 0:
        sys.exit(f"{name}: not defined in {source}")
    end = text.find(");", start)
    call = text[start:end]
    # Define("name", default, min, max, ... , low, high)
    head = re.match(r'Define\("[^"]+", ([^,]+),', call)
    call = call[:head.start(1)] + g(row["estimate"]) + call[head.end(1):]
    if row["low_95"] and row["high_95"]:
        tail = re.search(r', ([-0-9.eE]+), ([-0-9.eE]+)$', call)
        if not tail:
            sys.exit(f"{name}: no uncertain range to update")
        call = call[:tail.start(1)] + g(row["low_95"]) + ", " + g(row["high_95"])
    text = text[:start] + call + text[end:]
source.write_text(text)
print(f"updated {source.relative_to(root)}")
