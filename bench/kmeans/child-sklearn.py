"""scikit-learn side of the k-means benchmark: one fit, timed; prints one JSON line.

    child-sklearn.py FILE ROWS COLS K ALGORITHM INIT   (INIT: comma-separated row indices, or "k-means++")
"""

import json
import os
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info


def main():
    file, rows, cols, k, algorithm, init = sys.argv[1:7]
    rows, cols, k = int(rows), int(cols), int(k)
    X = np.fromfile(file, dtype="<f8").reshape(rows, cols)
    if init == "k-means++":
        start = "k-means++"
    else:
        start = X[[int(i) for i in init.split(",")]].copy()
    # Two fits in this process: the first (cold) and a second one (warm), each from a fresh estimator.
    times = []
    for _ in range(2):
        km = KMeans(n_clusters=k, init=start, n_init=1, max_iter=300, tol=1e-4, algorithm=algorithm, random_state=0)
        t0 = time.perf_counter()
        km.fit(X)
        times.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.3)
    threads = max((p.get("num_threads", 1) for p in threadpool_info() if p.get("user_api") == "openmp"), default=1)
    print(
        json.dumps(
            {
                "tool": f"scikit-learn {sklearn.__version__} KMeans({algorithm})",
                "ms": times[0],
                "warmMs": times[1],
                "inertia": float(km.inertia_),
                "nIter": int(km.n_iter_),
                "threads": threads,
                "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            }
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
