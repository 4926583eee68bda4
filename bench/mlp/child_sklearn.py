"""Child process: scikit-learn's MLPClassifier on the benchmark data; prints one JSON line.

    /usr/bin/python3 bench/mlp/child_sklearn.py <data file>
"""
import json
import os
import resource
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

FEATURES = 28
path = sys.argv[1]
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.json")) as f:
    c = json.load(f)
data = np.fromfile(path, dtype="<f8")
rows = data.size // (FEATURES + 1)
X = data[: rows * FEATURES].reshape(rows, FEATURES)
y = data[rows * FEATURES:].astype(int)
model = MLPClassifier(
    hidden_layer_sizes=tuple(c["hiddenLayerSizes"]), max_iter=c["maxIter"], batch_size=c["batchSize"],
    solver=c["solver"], learning_rate_init=c["learningRateInit"], alpha=c["alpha"],
    activation=c["activation"], tol=c["tol"], random_state=c["randomState"],
)
t0 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    model.fit(X, y)
fit_ms = (time.perf_counter() - t0) * 1000
import sklearn  # noqa: E402
from threadpoolctl import threadpool_info  # noqa: E402

blas = [f'{i.get("internal_api")} {i.get("version")} ({i.get("num_threads")} threads)' for i in threadpool_info()]
print(json.dumps({
    "tool": f"scikit-learn {sklearn.__version__}",
    "fitMs": fit_ms,
    "nIter": int(model.n_iter_),
    "msPerEpoch": fit_ms / model.n_iter_,
    "finalLoss": float(model.loss_curve_[-1]),
    "trainAccuracy": float((model.predict(X) == y).mean()),
    "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "blas": blas,
}))
