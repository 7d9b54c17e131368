/// The report's inline stylesheet: system fonts only (nothing loaded), colours that survive grey-scale printing,
/// and print rules (no backgrounds needed, sections kept whole, A4/Letter width).
enum HTMLReportStyle {
    static let css = """
        :root{--ink:#1d2430;--muted:#5b6575;--line:#d9dee7;--bg:#f6f7f9;--card:#fff;--ok:#2f7d4f;--fail:#c0392b;
        --lost:#d68910;--accent:#2b5fad;--released:#8e9aab;--running:#7f8c8d}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--ink);
        font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1080px;margin:0 auto;padding:24px 28px 48px}
        header h1{font-size:24px;margin:0 0 4px}
        header p{margin:0;color:var(--muted)}
        h2{font-size:18px;margin:0 0 10px}
        h3{font-size:15px;margin:14px 0 6px}
        section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 18px;
        margin:16px 0}
        .note{color:var(--muted);font-size:12.5px;margin:6px 0 0}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:10px;margin-top:16px}
        .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
        .card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        .card .value{font-size:21px;font-weight:600;font-variant-numeric:tabular-nums}
        .card .sub{color:var(--muted);font-size:12px}
        table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
        th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
        th{color:var(--muted);font-weight:600}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .badge{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px;font-weight:600;color:#fff}
        .badge.PASS{background:var(--ok)}.badge.FAIL{background:var(--fail)}.badge.ERROR{background:var(--lost)}
        .met-yes{color:var(--ok)}.met-no{color:var(--fail);font-weight:600}
        .error-text{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;
        word-break:break-word}
        svg.chart{width:100%;height:auto;display:block;margin-top:6px}
        svg text{font-family:inherit;font-size:11px;fill:var(--ink)}
        svg .tick,svg .group-count,svg .time-label,svg .axis-label{fill:var(--muted)}
        svg .grid{stroke:var(--line);stroke-width:1}
        svg .box{fill:#dbe6f6;stroke:var(--accent);stroke-width:1.5}
        svg .median{stroke:var(--accent);stroke-width:3}
        svg .whisker{stroke:var(--accent);stroke-width:1.2}
        svg .point{fill:var(--accent);fill-opacity:.55}
        svg .point.outlier{fill:var(--fail);fill-opacity:1;stroke:#fff;stroke-width:1}
        svg .bar{fill:var(--accent)}
        svg .bar-value{fill:var(--muted)}
        svg .lane-bg{fill:#f0f2f6}
        svg .attempt{stroke:#fff;stroke-width:.6}
        svg .attempt.succeeded{fill:var(--ok)}
        svg .attempt.failed{fill:var(--fail)}
        svg .attempt.expired,svg .attempt.abandoned{fill:var(--lost)}
        svg .attempt.released{fill:var(--released)}
        svg .attempt.running{fill:var(--running)}
        svg .attempt.redispatch{stroke:#111;stroke-width:1.2}
        svg .attempt-bin{fill:var(--ok)}
        svg .attempt-bin.marked{fill:var(--fail)}
        svg .gap-band{fill:#e3e7ee;stroke:#b8bfcc;stroke-dasharray:3 3}
        svg .gap-label{fill:var(--muted);font-size:10.5px}
        svg .day-line{stroke:#9aa5b5;stroke-dasharray:4 3}
        svg .day-label{fill:var(--muted);font-weight:600}
        .legend{display:flex;flex-wrap:wrap;gap:14px;font-size:12.5px;color:var(--muted);margin-top:6px}
        .legend span::before{content:"";display:inline-block;width:12px;height:10px;margin-right:5px;
        vertical-align:-1px;background:var(--c);border:var(--b,none)}
        dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:6px 0 0}
        dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
        code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
        footer{color:var(--muted);font-size:12px;text-align:center;margin-top:20px}
        @media print{
          body{background:#fff;font-size:11px}
          main{max-width:none;padding:0}
          section,.card{border-color:#bbb;break-inside:avoid;page-break-inside:avoid}
          section.wide{break-inside:auto;page-break-inside:auto}
          .cards{grid-template-columns:repeat(4,1fr)}
          *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
          @page{margin:14mm}
        }
        """
}
