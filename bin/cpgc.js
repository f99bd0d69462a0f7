#!/usr/bin/env node
// The cpgc command. The CLI is compiled from TypeScript into dist/ by `npm run build`
// (which `npm run demo` and `npm test` run first).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/compiler/src/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("cpgc is not built yet: run `npm run build` (or `npm test` / `npm run demo`, which build first) in the cpgc checkout.\n");
  process.exit(1);
}
const { main } = await import(entry.href);
await main();
