/** The app's stylesheet (uPlot's own comes with it from node_modules). */
export const STYLE = `
:root{--bg:#f5f6f8;--card:#fff;--fg:#1d2330;--mute:#6b7385;--line:#e3e6ec;--accent:#1f77b4;--ok:#2ca02c;--bad:#d62728;--warn:#e08a00}
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;align-items:center;gap:14px;padding:10px 20px;background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2;flex-wrap:wrap}
header h1{font-size:17px;margin:0;font-weight:600}
header .brand{color:var(--mute);font-size:12px;letter-spacing:.05em;text-transform:uppercase}
#status{padding:3px 10px;border-radius:999px;font-size:12px;font-weight:600;color:#fff;background:var(--accent)}
#status.running{animation:pulse 1.6s ease-in-out infinite}
#status.completed,#status.finished{background:var(--ok)}#status.failed,#status.diverged{background:var(--bad)}#status.cancelled{background:var(--warn)}#status.disconnected{background:#999}
@keyframes pulse{50%{opacity:.55}}
header .meta{margin-left:auto;color:var(--mute);font-size:12px;text-align:right}
.toolbar{display:flex;gap:14px;align-items:center;font-size:12px;color:var(--mute)}
main{padding:14px 20px;max-width:1700px;margin:0 auto}
#error{background:#fdecea;border:1px solid #f5c2bd;color:#8a1c14;padding:10px 14px;border-radius:8px;margin-bottom:14px;white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px}
h2{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:var(--mute);margin:18px 0 8px;font-weight:600}
.grid{display:grid;align-items:start;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;min-width:0}
.card .top{display:flex;align-items:baseline;gap:8px}
.card .name{flex:1;min-width:0;font-weight:600;font-size:13px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.card .val{font-family:ui-monospace,monospace;font-size:12px;color:var(--mute)}
.card .plot{width:100%;margin-top:4px;position:relative;min-height:60px}
.card .nodata{position:absolute;top:45%;left:70px;color:var(--mute);font-size:12px}
.card .u-legend{font-size:11px}
.heatbox canvas{width:100%;max-height:360px;image-rendering:pixelated;object-fit:contain}
.tog{flex-shrink:0;white-space:nowrap;font-size:11px;border:1px solid var(--line);background:#fafbfc;border-radius:5px;padding:1px 6px;cursor:pointer;color:var(--mute)}
.tog.on{background:var(--accent);color:#fff;border-color:var(--accent)}
.prog .bar{height:8px;background:#edf0f4;border-radius:4px;overflow:hidden;margin:8px 0 6px}
.prog .bar div{height:100%;background:var(--accent);width:0;transition:width .2s}
.prog.done .bar div{background:var(--ok)}
.prog .nums{display:flex;gap:14px;font-family:ui-monospace,monospace;font-size:12px;color:var(--mute)}
table{border-collapse:collapse;background:var(--card);border:1px solid var(--line);font-size:13px}
td,th{padding:4px 10px;border-top:1px solid var(--line);text-align:right}
th{cursor:pointer;background:#f0f2f5;font-weight:600}
td.v{font-family:ui-monospace,monospace}
tr.link{cursor:pointer}tr.link:hover{background:#eef5ff}
.sweepbox{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 12px;margin-bottom:12px;overflow:auto}
.hint{color:var(--mute);font-size:12px;margin:2px 0 8px}
#logs{background:#1d2330;color:#d6dae3;font:12px/1.5 ui-monospace,monospace;border-radius:10px;padding:8px 12px;max-height:180px;overflow:auto;white-space:pre-wrap}
.legend{font-size:11px;color:var(--mute);margin-top:2px}
#filter{margin-left:10px;font:12px system-ui,sans-serif;text-transform:none;letter-spacing:0;padding:2px 8px;border:1px solid var(--line);border-radius:6px;width:180px}
.hidden{display:none!important}
`;
