"""Child process: scikit-learn cross_validate(n_jobs=2) of the same pipeline on the same CSV; one JSON line.

    /usr/bin/python3 bench/selection/sklearn_cv.py <csv> [n_jobs]
"""
import json
import sys
import time
import warnings

import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path = sys.argv[1]
n_jobs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
t0 = time.perf_counter()
df = pd.read_csv(path)
X, y = df.drop(columns="label"), df["label"]
read_ms = (time.perf_counter() - t0) * 1000
num = [c for c in X.columns if c.startswith("x")]
cat = ["plan", "region", "team"]
prep = ColumnTransformer([
    ("numeric", Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())]), num),
    ("categorical", Pipeline([("imputer", SimpleImputer(strategy="most_frequent")),
                              ("onehot", OneHotEncoder(handle_unknown="ignore"))]), cat),
])
pipe = Pipeline([("prep", prep), ("model", LogisticRegression())])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    t1 = time.perf_counter()
    r = cross_validate(pipe, X, y, cv=5, scoring=["accuracy", "roc_auc"], n_jobs=n_jobs)
    ms = (time.perf_counter() - t1) * 1000
print(json.dumps({
    "tool": f"scikit-learn {sklearn.__version__} cross_validate (n_jobs {n_jobs})",
    "ms": ms,
    "readMs": read_ms,
    "accuracy": float(r["test_accuracy"].mean()),
    "rocAuc": float(r["test_roc_auc"].mean()),
    "foldAuc": r["test_roc_auc"].tolist(),
    "fitMsMean": float(r["fit_time"].mean() * 1000),
    "warnings": sorted({str(w.category.__name__) for w in caught}),
}))
