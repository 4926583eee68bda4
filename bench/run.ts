// Benchmark dispatcher: `npm run bench -- <name> [options]`.

const benches: Record<string, () => Promise<{ main: (args: readonly string[]) => Promise<void> }>> = {
  csv: () => import("./csv/run.js"),
  kmeans: () => import("./kmeans/run.js"),
  trees: () => import("./trees/run.js"),
  metrics: () => import("./metrics/run.js"),
  preprocessing: () => import("./preprocessing/run.js"),
  linear: () => import("./linear/run.js"),
  mlp: () => import("./mlp/run.js"),
  selection: () => import("./selection/run.js"),
  "train-cli": () => import("./train-cli/run.js"),
  shap: () => import("./shap/run.js"),
  serving: () => import("./serving/run.js"),
};

const [name, ...rest] = process.argv.slice(2);
const load = name === undefined ? undefined : benches[name];
if (load === undefined) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> [options]`);
  process.exit(1);
}
await (await load()).main(rest);
