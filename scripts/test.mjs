// `npm test` after lint and the kernels: the type check and the test suite at the same time (the
// suite's one worker leaves the second core mostly idle). Arguments go to vitest. Exits non-zero
// if either fails.
import { spawn } from "node:child_process";

const run = (cmd, args) =>
  new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: "inherit" });
    p.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });

const [typecheck, tests] = await Promise.all([
  run("npm", ["run", "--silent", "typecheck"]),
  run("npx", ["vitest", "run", ...process.argv.slice(2)]),
]);
if (typecheck !== 0) console.error("npm test: the type check failed");
process.exit(tests !== 0 ? tests : typecheck);
