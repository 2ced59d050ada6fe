// Progress of a long command on stderr. On a terminal: a cli-progress bar (done/total, failures,
// calls/s, ETA) redrawn at most 10 times a second and cut to the terminal's width. Otherwise
// (CI logs, pipes): a plain line at every tenth of the work and at the end.
import cliProgress from "cli-progress";

/** Redraws a second on a terminal: cli-progress draws on a timer of 1000/FPS ms, and only what changed. */
export const FPS = 10;

const seconds = (s) => (s === undefined ? "?" : s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${Math.round(s)}s`);

/**
 * A progress display for `total` units (`unit`: "items", "users") of the command `label`.
 * `update({ done, failed, callsPerSecond, etaSeconds })` as often as the work moves; `stop()` once.
 */
export function progress(label, total, unit, stream = process.stderr) {
  const stats = (p) => `${p.failed ?? 0} failed${p.callsPerSecond === undefined ? "" : `, ${p.callsPerSecond} calls/s`}, ETA ${seconds(p.etaSeconds)}`;
  if (stream.isTTY) {
    // The line is fitted to the terminal's width at each redraw (it may be resized): the bar
    // shrinks first (to 10 cells), then the end of the line is cut.
    const format = (options, params, payload) => {
      const width = (stream.columns || 80) - 1;
      const text = `${params.value}/${params.total} ${unit} | ${payload.stats}`;
      const size = Math.max(10, Math.min(30, width - label.length - text.length - 4));
      const filled = Math.round(params.progress * size);
      return `${label} [${"=".repeat(filled)}${"-".repeat(size - filled)}] ${text}`.slice(0, width);
    };
    const bar = new cliProgress.SingleBar({ stream, fps: FPS, gracefulExit: false, hideCursor: false, format });
    bar.start(total, 0, { stats: stats({}) });
    return {
      update(p) {
        bar.update(p.done, { stats: stats(p) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let shown = -1;
  let last = null;
  let printed = null;
  const line = (p) => {
    printed = p;
    stream.write(`${label}: ${p.done}/${total} ${unit}, ${stats(p)}\n`);
  };
  return {
    update(p) {
      last = p;
      const tenth = total ? Math.floor((p.done / total) * 10) : 10;
      if (tenth !== shown) {
        shown = tenth;
        line(p);
      }
    },
    stop() {
      // Where the work stopped, unless that was the last line.
      if (last && last !== printed) line(last);
    },
  };
}
