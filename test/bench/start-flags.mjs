/** The Node.js flags `npm start` runs the gateway with, read from package.json's start script. */
import { readFileSync } from "node:fs";

export function startScriptFlags(packageJsonPath) {
  const { scripts } = JSON.parse(readFileSync(packageJsonPath, "utf8"));
  const words = scripts.start.split(/\s+/);
  const flags = [];
  for (const word of words.slice(words.indexOf("node") + 1)) {
    if (!word.startsWith("--")) {
      break;
    }
    flags.push(word);
  }
  return flags;
}
