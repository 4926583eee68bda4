"""Child process: scikit-learn's equivalent of trainyard's defaultPreprocessor on the same files
(ColumnTransformer: median impute -> StandardScaler; most-frequent impute -> OneHotEncoder with
unknowns ignored; default sparse output). Prints one JSON line of measurements."""
import json
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

NUMERIC = 8
LEVELS = [10, 100, 1000]
prefix, repeat = sys.argv[1], int(sys.argv[2])
data = {f"x{j}": np.fromfile(f"{prefix}.x{j}.f64", dtype="<f8") for j in range(NUMERIC)}
for j, k in enumerate(LEVELS):
    codes = np.fromfile(f"{prefix}.c{j}.i32", dtype="<i4")
    levels = np.array([f"L{l}" for l in range(k)] + [np.nan], dtype=object)
    data[f"c{j}"] = levels[np.where(codes < 0, k, codes)]  # as read_csv gives them: str objects, NaN
X = pd.DataFrame(data)
num = [f"x{j}" for j in range(NUMERIC)]
cat = [f"c{j}" for j in range(len(LEVELS))]
fit, transform = [], []
for _ in range(repeat):
    ct = ColumnTransformer(
        [
            ("numeric", Pipeline([("imputer", SimpleImputer(strategy="median")), ("scaler", StandardScaler())]), num),
            ("categorical", Pipeline([("imputer", SimpleImputer(strategy="most_frequent")),
                                      ("onehot", OneHotEncoder(handle_unknown="ignore"))]), cat),
        ],
        verbose_feature_names_out=False,
    )
    t0 = time.perf_counter()
    ct.fit(X)
    fit.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    out = ct.transform(X)
    transform.append((time.perf_counter() - t0) * 1000)
print(json.dumps({
    "tool": "scikit-learn 1.2.1 ColumnTransformer",
    "fitMs": float(np.median(fit)),
    "transformMs": float(np.median(transform)),
    "nCols": int(out.shape[1]),
    # sum of cell * (1 + (row mod 7) / 7), as the trainyard child computes it
    "checksum": float(out.multiply((1 + (np.arange(out.shape[0]) % 7) / 7)[:, None]).sum()),
    "outputBytes": int(out.data.nbytes + out.indices.nbytes + out.indptr.nbytes) if hasattr(out, "indptr") else int(out.nbytes),
    "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
