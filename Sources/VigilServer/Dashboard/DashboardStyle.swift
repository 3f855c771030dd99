/// The dashboard's one stylesheet, served at `/dashboard/style.css` (so the CSP needs no inline
/// styles) and inlined into the standalone `vigil drift --format html` file. Light and dark
/// schemes follow `prefers-color-scheme`; print drops navigation and colour fills.
enum DashboardStyle {
    static let css = """
        :root{--bg:#fff;--fg:#1d2330;--muted:#5d6678;--line:#dde1e8;--card:#f6f7f9;--ref:#8a94a6;--cur:#2f6fdf;--bad:#c9302c;--badbg:#fde8e7;\
        --ok:#23854a;--okbg:#e5f4ea;--warn:#a86500;--warnbg:#fdf1dc;--unseen:#d9822b}
        @media (prefers-color-scheme:dark){:root{--bg:#14171d;--fg:#e4e7ee;--muted:#9aa3b5;--line:#2c323d;--card:#1c2029;--ref:#6f7a8e;\
        --cur:#5b93f5;--bad:#f0706b;--badbg:#3a1f20;--ok:#5cc98a;--okbg:#173024;--warn:#e6a543;--warnbg:#36290f;--unseen:#f0a35e}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        header.top{display:flex;gap:1em;align-items:baseline;flex-wrap:wrap;padding:.7em 1.2em;border-bottom:1px solid var(--line)}
        header.top a{color:inherit;text-decoration:none;font-weight:600}
        header.top .meta{color:var(--muted);font-size:.9em;margin-left:auto}
        main{padding:1em 1.2em;max-width:1400px}
        h1{font-size:1.35em;margin:.2em 0 .4em}h2{font-size:1.1em;margin:1.6em 0 .5em}
        a{color:var(--cur)}
        .muted{color:var(--muted)}
        .verdict{font-size:1.15em;font-weight:600;margin:.3em 0}
        .badge{display:inline-block;padding:.05em .55em;border-radius:1em;font-size:.85em;font-weight:600;white-space:nowrap}
        .s-drift,.s-not-ready,.s-firing{background:var(--badbg);color:var(--bad)}
        .s-ok,.s-resolved{background:var(--okbg);color:var(--ok)}
        .s-insufficient-data,.s-not-monitored,.s-pending,.s-no-report,.s-unloaded{background:var(--warnbg);color:var(--warn)}
        .s-serving{background:var(--card);color:var(--fg)}
        .table-wrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%}
        th,td{padding:.35em .6em;border-bottom:1px solid var(--line);text-align:left;vertical-align:middle}
        th{font-size:.85em;color:var(--muted);font-weight:600;white-space:nowrap}
        td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        tr.drifted td:first-child{border-left:3px solid var(--bad)}
        .why{font-size:.85em;color:var(--muted)}
        .pass{color:var(--bad);font-weight:600}
        form.controls{display:flex;gap:.6em;flex-wrap:wrap;align-items:center;margin:.5em 0}
        form.controls input,form.controls select,form.controls button{font:inherit;padding:.2em .4em}
        nav.pages a,nav.pages span{margin-right:.6em}
        .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(350px,1fr));gap:.8em}
        .card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6em}
        .card h3{font-size:1em;margin:0 0 .3em}
        .notice{border-left:4px solid var(--warn);background:var(--warnbg);padding:.5em .8em;margin:.6em 0}
        .notice.error{border-color:var(--bad);background:var(--badbg)}
        dl.sig{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dl.sig dt{color:var(--muted)}dl.sig dd{margin:0}
        svg text.tick{font-size:9px;fill:var(--muted)}
        svg .axis{stroke:var(--line);stroke-width:1}
        svg .threshold{stroke:var(--bad);stroke-width:1;stroke-dasharray:3 2}
        svg .series{fill:none;stroke:var(--cur);stroke-width:1.5}
        svg circle.series{fill:var(--cur)}
        svg .ref,svg .legend-ref{fill:var(--ref)}
        svg .cur,svg .legend-cur{fill:var(--cur)}
        svg .unseen,svg .legend-unseen{fill:var(--unseen)}
        svg.bars{max-width:100%;height:auto}
        form.login{max-width:22em;margin:3em auto;display:grid;gap:.6em}
        form.login input,form.login button{font:inherit;padding:.4em}
        @media (max-width:700px){main{padding:.6em}th,td{padding:.3em}.hide-narrow{display:none}.cards{grid-template-columns:1fr}}
        @media print{header.top .meta,nav,form.controls,.noprint{display:none}body{background:#fff;color:#000;font-size:11px}\
        .card{break-inside:avoid;border-color:#999}a{color:#000;text-decoration:none}}
        """
}
