"""Child process: pandas.read_csv on one file; prints one JSON line of measurements."""
import json
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
t0 = time.perf_counter()
df = pd.read_csv(path)
ms = (time.perf_counter() - t0) * 1000
print(json.dumps({
    "tool": f"pandas {pd.__version__} read_csv",
    "ms": ms,
    "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "rows": len(df),
    "cols": df.shape[1],
    "columnBytes": int(df.memory_usage(index=False, deep=False).sum()),
}))
