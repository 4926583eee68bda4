"""Fits scikit-learn's LogisticRegression (lbfgs, C = 1) on the benchmark files and prints one
JSON line: fit time (the fit call only), mean training log loss, iterations, peak RSS.

    /usr/bin/python3 bench/linear/fit_sklearn.py <base> <rows> <tol>
"""
import json
import resource
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

base, rows, tol = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
d = 28
X = np.fromfile(f"{base}.x.f64", dtype="<f8", count=rows * d).reshape(rows, d)
y = np.fromfile(f"{base}.y.u8", dtype=np.uint8, count=rows)
model = LogisticRegression(solver="lbfgs", tol=tol, max_iter=1000)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    t0 = time.perf_counter()
    model.fit(X, y)
    ms = (time.perf_counter() - t0) * 1000
p = model.predict_proba(X)
print(
    json.dumps(
        {
            "tool": f"scikit-learn {sklearn.__version__} LogisticRegression(solver='lbfgs')",
            "ms": ms,
            "logLoss": float(log_loss(y, p)),
            "nIter": int(model.n_iter_[0]),
            "warnings": [str(w.message) for w in caught],
            "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }
    )
)
