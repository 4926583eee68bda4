"""Times scikit-learn 1.2.1's metrics on the benchmark arrays; prints one JSON line {metric: {ms, cpuMs, value}}.

    /usr/bin/python3 bench/metrics/child_sklearn.py <prefix> <repeat>
"""

import json
import sys
import time

import numpy as np
from sklearn import metrics as M

prefix, repeat = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
y_bin = np.fromfile(prefix + ".ybin.i32", dtype=np.int32)
score = np.fromfile(prefix + ".score.f64")
y_true = np.fromfile(prefix + ".ytrue.i32", dtype=np.int32)
y_pred = np.fromfile(prefix + ".ypred.i32", dtype=np.int32)
proba = np.fromfile(prefix + ".proba.f64").reshape(len(y_true), -1)
reg = np.fromfile(prefix + ".reg.f64")
reg_pred = np.fromfile(prefix + ".regpred.f64")
names = np.array(["a", "b", "c", "d", "e"], dtype=object)
s_true = names[y_true]
s_pred = names[y_pred]

cases = {
    "accuracy": lambda: M.accuracy_score(y_true, y_pred),
    "f1_macro": lambda: M.f1_score(y_true, y_pred, average="macro"),
    "f1_macro_strings": lambda: M.f1_score(s_true, s_pred, average="macro"),
    "confusion_matrix": lambda: int(M.confusion_matrix(y_true, y_pred)[0, 0]),
    "classification_report": lambda: M.classification_report(s_true, s_pred, output_dict=True)["weighted avg"][
        "f1-score"
    ],
    "roc_auc": lambda: M.roc_auc_score(y_bin, score),
    "average_precision": lambda: M.average_precision_score(y_bin, score),
    "roc_curve": lambda: len(M.roc_curve(y_bin, score)[0]),
    "roc_auc_ovr_5": lambda: M.roc_auc_score(y_true, proba, multi_class="ovr"),
    "log_loss_5": lambda: M.log_loss(y_true, proba),
    "r2": lambda: M.r2_score(reg, reg_pred),
    "mean_absolute_error": lambda: M.mean_absolute_error(reg, reg_pred),
    "median_absolute_error": lambda: M.median_absolute_error(reg, reg_pred),
}

out = {}
for name, run in cases.items():
    value = run()
    wall, cpu = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        value = run()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    out[name] = {"ms": sorted(wall)[repeat // 2], "cpuMs": sorted(cpu)[repeat // 2], "value": float(value)}
print(json.dumps(out))
