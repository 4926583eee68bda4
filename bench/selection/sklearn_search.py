"""Child process: scikit-learn RandomizedSearchCV(n_jobs=2) over HistGradientBoostingClassifier, same
data split, folds, budget and ranges as child-search-trainyard.ts; one JSON line.

    /usr/bin/python3 bench/selection/sklearn_search.py <csv> [n_iter] [n_jobs]
"""
import json
import sys
import time

import pandas as pd
import sklearn
from scipy.stats import loguniform, randint, uniform
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold

path = sys.argv[1]
n_iter = int(sys.argv[2]) if len(sys.argv) > 2 else 50
n_jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
df = pd.read_csv(path)
train, test = df.iloc[:16000], df.iloc[16000:]
X, y = train.drop(columns="label"), train["label"]
space = {
    "learning_rate": loguniform(0.01, 0.3),
    "max_leaf_nodes": randint(8, 65),
    "min_samples_leaf": randint(5, 101),
    "l2_regularization": uniform(0, 1),
}
# 100 boosting rounds, no early stopping (as trainyard's default), 255 bins.
est = HistGradientBoostingClassifier(max_iter=100, early_stopping=False, random_state=0)
search = RandomizedSearchCV(est, space, n_iter=n_iter, cv=StratifiedKFold(3), scoring="roc_auc",
                            n_jobs=n_jobs, random_state=0)
t0 = time.perf_counter()
search.fit(X, y)
ms = (time.perf_counter() - t0) * 1000
holdout = roc_auc_score(test["label"], search.best_estimator_.predict_proba(test.drop(columns="label"))[:, 1])
print(json.dumps({
    "tool": f"scikit-learn {sklearn.__version__} RandomizedSearchCV + HistGradientBoosting (n_jobs {n_jobs})",
    "ms": ms,
    "trials": n_iter,
    "bestScore": float(search.best_score_),
    "bestParams": {k: float(v) for k, v in search.best_params_.items()},
    "holdoutAuc": float(holdout),
    "refitMs": float(search.refit_time_ * 1000),
    "fitMsMean": float(search.cv_results_["mean_fit_time"].mean() * 1000),
}))
