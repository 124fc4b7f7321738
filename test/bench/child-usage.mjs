/**
 * Answers the runner's usage questions over IPC: CPU time (µs) and peak resident set (KB) of this
 * process. Every child process of the benchmark installs it.
 */
export function answerUsage(extra = () => ({})) {
  process.on("message", (message) => {
    if (message?.type !== "usage") {
      return;
    }
    const cpu = process.cpuUsage();
    process.send?.({
      type: "usage",
      id: message.id,
      userUs: cpu.user,
      systemUs: cpu.system,
      maxRssKb: process.resourceUsage().maxRSS,
      ...extra(message),
    });
  });
  // The runner's exit closes the channel; a child never outlives it.
  process.on("disconnect", () => process.exit(0));
}
