/**
 * The one duration formatter (the UI, MCP, headless lines and `axiom runs` all print with it):
 * "12s" (or "12.3s" with tenths), "1m03s", "1h02m".
 */
export function formatDuration(ms: number, opts: { tenths?: boolean } = {}): string {
  const exact = Math.max(0, ms) / 1000;
  const s = Math.floor(exact);
  if (s < 60) return opts.tenths ? `${exact.toFixed(1)}s` : `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
