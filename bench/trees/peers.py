"""Child process: one Python peer on the tree-benchmark data; prints one JSON line.

    python3 peers.py <tool> <prefix> [train_rows]

tools: xgb (XGBoost hist, lossguide, 31 leaves), hgb (HistGradientBoosting), rf (RandomForest),
       xgb-reg / hgb-reg (the same boosters on the regression set).
`train_rows` limits the training set to its first rows (the test set is always the last 20%).
"""
import json
import os
import resource
import sys
import time

import numpy as np

tool, prefix = sys.argv[1], sys.argv[2]
info = json.load(open(prefix + ".json"))
rows, cols, n_train = info["rows"], info["cols"], info["trainRows"]
X = np.fromfile(prefix + ".x.f32", "<f4").reshape(rows, cols)
y = np.fromfile(prefix + ".y.f32", "<f4")
limit = int(sys.argv[3]) if len(sys.argv) > 3 else n_train
X_train, y_train, X_test, y_test = X[:limit], y[:limit], X[n_train:], y[n_train:]
classification = info["task"] == "classification"
rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
out = {"tool": tool, "trainRows": int(limit), "testRows": int(rows - n_train)}


def scores(pred):
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score

    if classification:
        return {"auc": roc_auc_score(y_test, pred), "accuracy": accuracy_score(y_test, pred >= 0.5)}
    return {"r2": r2_score(y_test, pred)}


if tool in ("xgb", "xgb-reg"):
    import xgboost as xgb

    params = {
        "tree_method": "hist",
        "grow_policy": "lossguide",
        "max_leaves": 31,
        "max_depth": 0,
        "eta": 0.1,
        "max_bin": 255,
        "nthread": 2,
        "objective": "binary:logistic" if classification else "reg:squarederror",
    }
    t0 = time.perf_counter()
    booster = xgb.train(params, xgb.DMatrix(X_train, y_train, nthread=2), 100)
    out["fitMs"] = (time.perf_counter() - t0) * 1000
    out["rssAfterFitBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out.update(scores(booster.predict(xgb.DMatrix(X_test, nthread=2))))
    out["name"] = f"XGBoost {xgb.__version__} hist"
    if classification:
        # Batch prediction over every row: DMatrix prediction (a fresh DMatrix each time, built
        # outside the timing, since XGBoost caches predictions per DMatrix) and the in-place
        # path; best of 3 each.
        times = []
        for _ in range(3):
            d_all = xgb.DMatrix(X, nthread=2)
            t0 = time.perf_counter()
            booster.predict(d_all)
            times.append((time.perf_counter() - t0) * 1000)
        out["predictDMatrixMs"] = min(times)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            booster.inplace_predict(X)
            times.append((time.perf_counter() - t0) * 1000)
        out["predictInplaceMs"] = min(times)
        out["predictRows"] = int(rows)
        # One row at a time, as a Python server would call it.
        lat = []
        for i in range(2000):
            row = X_test[i : i + 1]
            t0 = time.perf_counter_ns()
            booster.inplace_predict(row)
            lat.append((time.perf_counter_ns() - t0) / 1000)
        lat = np.array(lat[200:])
        out["singleRowUs"] = {"p50": float(np.percentile(lat, 50)), "p99": float(np.percentile(lat, 99))}
elif tool in ("hgb", "hgb-reg"):
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    cls = HistGradientBoostingClassifier if classification else HistGradientBoostingRegressor
    model = cls(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, max_bins=255, early_stopping=False)
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    out["fitMs"] = (time.perf_counter() - t0) * 1000
    out["rssAfterFitBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out.update(scores(model.predict_proba(X_test)[:, 1] if classification else model.predict(X_test)))
    out["name"] = f"scikit-learn {sklearn.__version__} HistGradientBoosting"
elif tool == "rf":
    import sklearn
    from sklearn.ensemble import RandomForestClassifier

    model = RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0)
    t0 = time.perf_counter()
    model.fit(X_train, y_train)
    out["fitMs"] = (time.perf_counter() - t0) * 1000
    out["rssAfterFitBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    out.update(scores(model.predict_proba(X_test)[:, 1]))
    out["name"] = f"scikit-learn {sklearn.__version__} RandomForestClassifier"
else:
    sys.exit(f"unknown tool {tool}")

out["rssLoadedBytes"] = rss_loaded
out["maxRssBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
out["threads"] = os.environ.get("OMP_NUM_THREADS")
print(json.dumps(out))
