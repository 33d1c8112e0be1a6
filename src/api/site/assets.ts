/**
 * The site's one stylesheet, served at /public/assets/site.css (helmet's CSP allows 'self'
 * styles; no inline style attributes are needed). Kept in a module, not a .css file, so `tsc`
 * ships it in dist without a copy step. Mobile first: readable at 375 px, wide tables scroll
 * inside their own box instead of the page.
 */
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;line-height:1.6;color:#1b1b1b;background:#fff}
a{color:#0b4f9c}
a:focus-visible{outline:3px solid #f4b400;outline-offset:2px}
.skip{position:absolute;left:-999px}
.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
.site-header{background:#a4161a;color:#fff;padding:8px 12px}
.site-name{margin:0 0 4px;font-weight:700}
.site-name a{color:#fff;text-decoration:none}
.site-nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 12px}
.site-nav a{color:#fff;text-decoration:none;white-space:nowrap}
.site-nav a[aria-current="page"]{text-decoration:underline;font-weight:700}
.crumbs ol{list-style:none;margin:0;padding:6px 12px;display:flex;flex-wrap:wrap;gap:4px;font-size:.9em;background:#f4f4f4}
.crumbs li+li::before{content:"›";margin-right:4px;color:#666}
main{max-width:1100px;margin:0 auto;padding:12px;overflow-wrap:anywhere}
h1{font-size:1.5em;margin:.4em 0}
h2{font-size:1.2em;margin:1em 0 .4em}
.table-wrap{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.5em 0}
caption{text-align:left;font-weight:700;padding:4px 0}
th,td{border:1px solid #ccc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.status{display:inline-block;padding:0 6px;border-radius:3px;font-size:.9em;white-space:nowrap}
.status-abandoned{background:#fde2e1;color:#8a1111;border:1px solid #8a1111}
.status-overdue{background:#fff1cc;color:#6b4a00;border:1px solid #6b4a00}
.status-ok{background:#e3f4e4;color:#14532d;border:1px solid #14532d}
.correction{background:#fff7e6}
.notice{border-left:4px solid #a4161a;padding-left:8px}
.muted{color:#595959}
.pager{margin:1em 0}
form .field{margin:.6em 0}
label{display:block;font-weight:700}
input,textarea,select,button{font:inherit;max-width:100%}
input[type=text],input[type=search],textarea{width:100%;padding:6px;border:1px solid #888;border-radius:3px}
button{padding:6px 14px;background:#a4161a;color:#fff;border:0;border-radius:3px;cursor:pointer}
.error{color:#8a1111;font-weight:700}
.field-error input,.field-error textarea{border-color:#8a1111}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0}
del{color:#8a1111}
ins{color:#14532d}
.site-footer{border-top:1px solid #ddd;margin-top:2em;padding:12px;font-size:.9em;color:#595959}
@media (max-width:480px){dl.facts{grid-template-columns:1fr}}
`;
