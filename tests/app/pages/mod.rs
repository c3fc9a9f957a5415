//! Every page in every state, in Chromium: no axe-core violations at 360 px or on a 1280 px
//! desktop, no sideways scroll at 360 px or at 200% zoom of a 1280 px window, and printed
//! receipts, letters and evidence packs that name the school and the reference. Failures are gathered across pages, then reported
//! together (and written to /tmp/axe-report-<area>.md with every state checked) so one run
//! lists everything to fix.

mod documents;
mod messages;
mod office;
mod parent;
mod print;
mod staff;

use std::fmt::Write as _;
use std::time::Duration;

use fantoccini::Client;
use serde_json::{Value, json};

use crate::browser::Driver;

/// axe-core, vendored (see tests/vendor/axe-core/README.md).
const AXE: &str = include_str!("../../vendor/axe-core/axe.min.js");

/// Phone width, CSS pixels.
const PHONE: u32 = 360;
/// A desktop screen, where staff pages spread out.
const DESKTOP: u32 = 1280;
/// A 1280 px window at 200% zoom lays pages out in a 640 CSS px viewport (WCAG 1.4.10 Reflow),
/// so a 640 px window at 100% is the same layout without the zoom controls WebDriver lacks.
const ZOOMED: u32 = 640;

/// One browser session and the failures found so far.
pub struct Audit {
    _driver: Driver,
    pub c: Client,
    area: &'static str,
    failures: Vec<String>,
    /// Each state checked: its name, path and main heading, so the report shows what was seen.
    seen: Vec<String>,
}

impl Audit {
    pub async fn start(area: &'static str) -> Audit {
        let driver = Driver::start().await;
        let c = driver.phone().await;
        Audit {
            _driver: driver,
            c,
            area,
            failures: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// Opens `url` and checks it as `state`.
    pub async fn visit(&mut self, url: &str, state: &str) {
        self.c.goto(url).await.unwrap();
        settle(&self.c).await;
        self.check(state).await;
    }

    /// Checks the page the browser shows: axe at 360 px and 1280 px, width at 360 px and 640 px.
    pub async fn check(&mut self, state: &str) {
        let url = self.c.current_url().await.unwrap();
        let at = format!("{state} — `{}`", url.path());
        let h1 = self
            .c
            .execute(
                "const h = document.querySelector('h1'); return h ? h.textContent.trim() : ''",
                vec![],
            )
            .await
            .unwrap_or_default();
        self.seen.push(format!("- {at}: {}", str_of(&h1)));
        let title = self
            .c
            .execute("return document.title", vec![])
            .await
            .unwrap_or_default();
        if title
            .as_str()
            .is_some_and(|t| t.to_lowercase().contains("something went wrong"))
        {
            self.failures.push(format!(
                "### {at}\n- page: the app answered an error page\n"
            ));
        }
        // Collapsed sections (the diff of what changed) are checked open too.
        let _ = self
            .c
            .execute(
                "document.querySelectorAll('details').forEach(d => d.open = true)",
                vec![],
            )
            .await;
        size(&self.c, PHONE).await;
        for v in axe(&self.c).await {
            self.failures.push(format!("### {at}\n{v}"));
        }
        for width in [PHONE, ZOOMED] {
            size(&self.c, width).await;
            if let Some(o) = overflow(&self.c).await {
                self.failures
                    .push(format!("### {at}\n- width {width} px: {o}\n"));
            }
        }
        if let Ok(dir) = std::env::var("PAGES_SHOTS") {
            self.shoot(&dir).await;
        }
        // Staff pages take a desktop's width, a different layout: axe checks it too.
        size(&self.c, DESKTOP).await;
        for v in axe(&self.c).await {
            self.failures
                .push(format!("### {at} (at {DESKTOP} px)\n{v}"));
        }
        size(&self.c, PHONE).await;
    }

    /// Saves the whole page at phone width as `DIR/<area>-<n>.png`, to look at by eye
    /// (`PAGES_SHOTS=DIR cargo test --test app pages::`).
    async fn shoot(&self, dir: &str) {
        let height = self
            .c
            .execute("return document.documentElement.scrollHeight", vec![])
            .await
            .ok()
            .and_then(|h| h.as_u64())
            .unwrap_or(800)
            .min(8000) as u32;
        let _ = self.c.set_window_size(PHONE, height + 100).await;
        if let Ok(png) = self.c.screenshot().await {
            let file = format!("{dir}/{}-{:02}.png", self.area, self.seen.len());
            let _ = std::fs::write(file, png);
        }
        size(&self.c, PHONE).await;
    }

    /// Records a failure found outside the page checks (for example in a printed PDF).
    pub fn fail(&mut self, what: String) {
        self.failures.push(what);
    }

    /// Writes the report and fails the test if anything was found.
    pub async fn finish(self) {
        let _ = self.c.clone().close().await;
        let mut report = format!(
            "## {} ({} page states, {} failures)\n\n",
            self.area,
            self.seen.len(),
            self.failures.len()
        );
        for f in &self.failures {
            report.push_str(f);
            report.push('\n');
        }
        let seen = format!(
            "\nStates checked (path: main heading):\n{}\n",
            self.seen.join("\n")
        );
        let path = format!("/tmp/axe-report-{}.md", self.area);
        std::fs::write(&path, format!("{report}{seen}")).unwrap();
        assert!(self.failures.is_empty(), "{report}");
    }
}

/// Resizes so the viewport (not the window) is `width` CSS px wide.
async fn size(c: &Client, width: u32) {
    c.set_window_size(width, 800).await.unwrap();
    let inner = c
        .execute("return window.innerWidth", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(width.into()) as u32;
    if inner != width {
        c.set_window_size(width + (width - inner.min(width)), 800)
            .await
            .unwrap();
    }
}

/// Waits for the document to finish loading after a click or `goto`.
pub async fn settle(c: &Client) {
    for _ in 0..100 {
        let ready = c
            .execute("return document.readyState", vec![])
            .await
            .unwrap_or_default();
        if ready == json!("complete") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// axe's violations on the current page, one Markdown item per rule.
async fn axe(c: &Client) -> Vec<String> {
    let loaded = c.execute("return typeof window.axe", vec![]).await.unwrap();
    if loaded != json!("object") {
        c.execute(&format!("{AXE}\n;return true;"), vec![])
            .await
            .unwrap();
    }
    // axe's default set, no rule excluded: WCAG 2.0–2.2 A and AA plus best practice.
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 240),
              summary: (n.failureSummary || '').split('\n').slice(0, 3).join(' ')}))
          }))))
          .catch(e => done([{id: 'axe-error', impact: 'error', help: String(e), nodes: []}]));
    "#;
    let found = c.execute_async(script, vec![]).await.unwrap();
    let mut out = Vec::new();
    for v in found.as_array().cloned().unwrap_or_default() {
        let mut s = format!(
            "- axe `{}` ({}): {}\n",
            str_of(&v["id"]),
            str_of(&v["impact"]),
            str_of(&v["help"])
        );
        for n in v["nodes"].as_array().cloned().unwrap_or_default() {
            let _ = writeln!(
                s,
                "  - `{}` — `{}` — {}",
                str_of(&n["target"]),
                str_of(&n["html"]).replace('\n', " "),
                str_of(&n["summary"])
            );
        }
        out.push(s);
    }
    out
}

/// Whether the page scrolls sideways and, if so, which elements stick out first.
async fn overflow(c: &Client) -> Option<String> {
    let script = r#"
        const de = document.documentElement, cw = de.clientWidth;
        if (de.scrollWidth <= cw) return null;
        const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
          (typeof el.className === 'string' && el.className.trim()
            ? '.' + el.className.trim().split(/\s+/).join('.') : '');
        const out = el => el.getBoundingClientRect().right > cw + 0.5;
        // An element that sticks out while its parent does not is where the overflow starts.
        const all = [...document.querySelectorAll('body, body *')].filter(out);
        let roots = all.filter(el => !out(el.parentElement));
        // Nothing's box sticks out: the overflow is ink (a shadow, outline or pseudo-element) or
        // scrolled content, so name the elements reaching furthest right instead.
        if (!roots.length) {
          const c = [...document.querySelectorAll('body *')].filter(el =>
            el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible');
          roots = c.filter(el => !c.some(d => d !== el && el.contains(d)));
        }
        const word = el => (el.textContent || '').split(/\s+/)
          .reduce((a, b) => b.length > a.length ? b : a, '').slice(0, 80);
        roots = roots
          .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)
          .slice(0, 4)
          .map(el => name(el) + ' (right edge ' + Math.round(el.getBoundingClientRect().right) +
               ' px, ' + Math.round(el.getBoundingClientRect().width) + ' px wide; longest word "' + word(el) + '") `' +
               el.outerHTML.slice(0, 160).replace(/\s+/g, ' ') + '`');
        return 'page is ' + de.scrollWidth + ' px wide in a ' + cw + ' px viewport; sticking out: ' +
          roots.join('; ');
    "#;
    let v = c.execute(script, vec![]).await.unwrap();
    v.as_str().map(str::to_owned)
}

fn str_of(v: &Value) -> String {
    v.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v.to_string())
}

/// Fills a form's fields (by name) and presses its submit button, then waits for the new page.
/// A checkbox is ticked by any value but "" and a radio picks the input with that value.
pub async fn submit(c: &Client, form: &str, fields: &[(&str, &str)]) {
    let fields: Vec<Value> = fields.iter().map(|(k, v)| json!([k, v])).collect();
    let script = r#"
        const [sel, fields] = arguments;
        const f = document.querySelector(sel);
        if (!f) return 'no form ' + sel;
        for (const [k, v] of fields) {
          const els = [...f.querySelectorAll('[name="' + k + '"]')];
          if (!els.length) return 'no field ' + k;
          for (const el of els) {
            if (el.type === 'checkbox') el.checked = v !== '';
            else if (el.type === 'radio') el.checked = el.value === v;
            else el.value = v;
          }
        }
        window.__before = true;
        const b = f.querySelector('button[type=submit], button:not([type]), input[type=submit]');
        if (b) b.click(); else f.submit();
        return null;
    "#;
    let r = c
        .execute(script, vec![json!(form), json!(fields)])
        .await
        .unwrap();
    assert_eq!(r, Value::Null, "{r}");
    for _ in 0..200 {
        let gone = c
            .execute("return window.__before === undefined", vec![])
            .await
            .unwrap_or(json!(false));
        if gone == json!(true) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    settle(c).await;
}
