/**
 * Reads a V8 .cpuprofile and lists the functions with the most self time, plus self time grouped
 * by package (node_modules/<name>), by project file and by Node.js internals.
 * Usage as a script: node test/bench/cpuprofile-summary.mjs <file.cpuprofile> [top]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

function where(url) {
  if (!url) {
    return "(native / V8)";
  }
  if (url.startsWith("node:")) {
    return "node internals";
  }
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) {
    return pkg[1];
  }
  const own = /\/(dist\/src\/.*|test\/bench\/.*)$/.exec(url);
  return own ? own[1] : url;
}

export function summarise(profile, top = 30) {
  const { nodes, samples, timeDeltas } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const selfUs = new Map();
  for (let i = 0; i < samples.length; i++) {
    selfUs.set(samples[i], (selfUs.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
  }
  const fn = new Map();
  const group = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    total += us;
    const name = callFrame.functionName || "(anonymous)";
    const file = callFrame.url ? callFrame.url.replace(/^file:\/\//, "") : "";
    const key = `${name}\u0000${file}:${callFrame.lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const g =
      name === "(idle)" || name === "(program)" || name === "(garbage collector)" ? name : where(file);
    group.set(g, (group.get(g) ?? 0) + us);
  }
  const pct = (us) => ((100 * us) / total).toFixed(1);
  const lines = [
    `Total sampled: ${(total / 1e6).toFixed(2)} s`,
    "",
    "| self % | self ms | function | location |",
    "|---:|---:|---|---|",
  ];
  for (const [key, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    const [name, loc] = key.split("\u0000");
    lines.push(
      `| ${pct(us)} | ${(us / 1000).toFixed(0)} | ${name} | ${where(loc.split(":")[0]) === loc.split(":")[0] ? loc : `${where(loc)} ${loc.replace(/^.*\//, "")}`} |`,
    );
  }
  lines.push("", "| self % | self ms | where |", "|---:|---:|---|");
  for (const [g, us] of [...group].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    lines.push(`| ${pct(us)} | ${(us / 1000).toFixed(0)} | ${g} |`);
  }
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const profile = JSON.parse(readFileSync(process.argv[2], "utf8"));
  console.log(summarise(profile, Number(process.argv[3] ?? 30)));
}
