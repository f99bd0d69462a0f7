import { createInterface } from "node:readline";

import type { CommandIO } from "./io.js";

/** Whether a person can answer a question: stdin and stdout are both terminals. */
export function canPrompt(io: CommandIO): boolean {
  return io.isTTY && Boolean(process.stdin.isTTY);
}

/** Asks on the terminal and returns the line typed (trimmed), or null when stdin closed first. */
export function ask(question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer.trim());
    });
    // Ctrl-C (the terminal is raw while reading) and Ctrl-D are a "no", not a kill: the caller releases what it holds.
    rl.on("SIGINT", () => rl.close());
    rl.on("close", () => {
      if (!answered) {
        process.stdout.write("\n");
        resolve(null);
      }
    });
  });
}
