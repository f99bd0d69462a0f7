import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // TypeScript specs import the spec API as "cpgc"; under vitest that is the source module
    // (the CLI maps it the same way through its module hooks).
    alias: { cpgc: fileURLToPath(new URL("./compiler/src/spec/define.ts", import.meta.url)) },
  },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
