//! Policy Markdown to safe HTML.
//!
//! Two layers. First, the Markdown events: raw HTML is shown as literal text, links keep only
//! absolute `http`, `https`, `mailto` and `tel` addresses (a relative or protocol-relative one
//! could point anywhere the page is served from, or to another host), and images become their
//! alt text, since a page may load nothing from another host. Then the HTML pulldown-cmark writes
//! goes through `ammonia` with an allow-list of the tags Markdown makes, so a mistake in the first
//! layer (or in pulldown-cmark) still cannot put a script, an event handler or a `javascript:`
//! address on the page. [`SafeHtml`] is the only way out, and it can only be made by sanitising.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use ammonia::{Builder, UrlRelative};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// HTML that has been through the sanitiser, so it may be placed in a page unescaped (`|safe`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SafeHtml(String);

impl SafeHtml {
    /// Sanitises any HTML: only the tags and attributes Markdown produces are kept, links keep
    /// only absolute `http`, `https`, `mailto` and `tel` addresses and get
    /// `rel="noopener noreferrer"`; scripts and styles go with their content.
    pub fn sanitise(html: &str) -> SafeHtml {
        SafeHtml(POLICY.clean(html).to_string())
    }

    /// Markup this program draws itself, with no outside text in it (a QR code's SVG, whose
    /// only content is squares). Never for anything a person typed or a file brought.
    pub(crate) fn drawn(markup: String) -> SafeHtml {
        SafeHtml(markup)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for SafeHtml {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// What pulldown-cmark writes with strikethrough and tables on (headings start at `<h2>`).
static POLICY: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let tags = HashSet::from([
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "del",
        "a",
        "blockquote",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    ]);
    let attributes = HashMap::from([
        ("a", HashSet::from(["href", "title"])),
        ("ol", HashSet::from(["start"])),
    ]);
    let align = HashSet::from([
        "text-align: left",
        "text-align: center",
        "text-align: right",
    ]);
    let values = HashMap::from([
        ("th", HashMap::from([("style", align.clone())])),
        ("td", HashMap::from([("style", align)])),
    ]);
    let mut policy = Builder::empty();
    policy
        .tags(tags)
        .tag_attributes(attributes)
        .tag_attribute_values(values)
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    policy
});

/// Renders policy Markdown to HTML that is safe to place in a page.
pub fn render(markdown: &str) -> SafeHtml {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TABLES);
    let mut dropped_links = 0usize;
    let mut events = Vec::new();
    let mut in_image = 0usize;
    let top = Parser::new_ext(markdown, opts)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level),
            _ => None,
        })
        .min()
        .unwrap_or(HeadingLevel::H2);
    let demote = |level| demote(level, top);
    for event in Parser::new_ext(markdown, opts) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if is_safe_url(&dest_url) {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    dropped_links += 1;
                    events.push(Event::Start(Tag::Emphasis));
                }
            }
            Event::End(TagEnd::Link) if dropped_links > 0 => {
                dropped_links -= 1;
                events.push(Event::End(TagEnd::Emphasis));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                events.push(Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(demote(level))))
            }
            Event::Text(t) if in_image > 0 => events.push(Event::Text(t)),
            other if in_image > 0 => drop(other),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    SafeHtml::sanitise(&out)
}

/// The page's own `<h1>` is the document title, so the body's top headings are `<h2>`, whether
/// the school wrote them as `#` or `##`, and deeper ones keep their distance below (a screen
/// reader's list of headings then skips no level the text did not skip).
fn demote(level: HeadingLevel, top: HeadingLevel) -> HeadingLevel {
    let depth = level as usize - top as usize + 2;
    HeadingLevel::try_from(depth.min(6)).unwrap_or(HeadingLevel::H6)
}

fn is_safe_url(url: &CowStr<'_>) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["http://", "https://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme) && cleaned.len() > scheme.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_html(md: &str) -> String {
        render(md).into_string()
    }

    #[test]
    fn the_body_s_top_headings_are_h2_whatever_the_school_wrote() {
        for md in ["# A\n\n## B\n", "## A\n\n### B\n", "### A\n\n#### B\n"] {
            let html = to_html(md);
            assert!(html.contains("<h2>A</h2>"), "{md}: {html}");
            assert!(html.contains("<h3>B</h3>"), "{md}: {html}");
        }
        assert!(to_html("## A\n\n###### F\n").contains("<h6>F</h6>"));
    }

    #[test]
    fn renders_structure() {
        let html = to_html("# Intent\n\nWe **care**.\n\n- one\n- two\n");
        assert!(html.contains("<h2>Intent</h2>"));
        assert!(html.contains("<strong>care</strong>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn ordinary_markdown_survives_the_sanitiser() {
        let md = "## Rules\n\n*Be* **kind** ~~never~~.\n\n3. third\n4. fourth\n\n\
> quoted\n\n`code` and\n\n```\nblock\n```\n\n---\n\n\
| Day | Time |\n|:---|---:|\n| Mon | 9am |\n\n[office](mailto:office@example.org)";
        let out = to_html(md);
        for part in [
            "<h2>Rules</h2>",
            "<em>Be</em>",
            "<strong>kind</strong>",
            "<del>never</del>",
            "<ol start=\"3\">",
            "<li>fourth</li>",
            "<blockquote>",
            "<code>code</code>",
            "<pre><code>block",
            "<hr>",
            "<th style=\"text-align: left\">Day</th>",
            "<td style=\"text-align: right\">9am</td>",
            "<a href=\"mailto:office@example.org\" rel=\"noopener noreferrer\">office</a>",
        ] {
            assert!(out.contains(part), "{part} missing from {out}");
        }
    }

    #[test]
    fn nested_lists_stay_nested() {
        let html = to_html(
            "- one\n  - one a\n    - one a i\n- two\n\n1. first\n   1. first a\n2. second\n",
        );
        assert!(
            html.contains("<li>one\n<ul>\n<li>one a\n<ul>\n<li>one a i</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>two</li>"),
            "{html}"
        );
        assert!(
            html.contains("<li>first\n<ol>\n<li>first a</li>\n</ol>\n</li>"),
            "{html}"
        );
    }

    #[test]
    fn links_get_noopener() {
        assert_eq!(
            to_html("[ok](https://example.org/a)"),
            "<p><a href=\"https://example.org/a\" rel=\"noopener noreferrer\">ok</a></p>\n"
        );
    }

    #[test]
    fn script_and_raw_html_are_inert() {
        let html = to_html(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick=\"x\">d</div>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        let link = to_html("<a href=\"javascript:alert(1)\" onclick=\"alert(1)\">x</a>");
        assert!(!link.contains("<a"), "{link}");
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn the_sanitiser_removes_scripts_handlers_and_javascript_links() {
        // The second layer on its own, as if the first had let raw HTML through.
        let out = SafeHtml::sanitise(
            "<p onclick=\"steal()\">Hi<script>alert(1)</script></p>\
<a href=\"javascript:alert(1)\">x</a><a href=\"/relative\">r</a>\
<img src=\"https://tracker.example/p.gif\"><style>p{}</style><iframe src=\"https://x\"></iframe>\
<td style=\"position: fixed\">t</td><!-- note -->",
        )
        .into_string();
        for gone in [
            "<script",
            "alert",
            "onclick",
            "javascript",
            "href=\"/relative",
            "<img",
            "<style",
            "<iframe",
            "position",
            "note",
        ] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
        assert!(out.contains("<p>Hi</p>"), "{out}");
    }

    #[test]
    fn dangerous_links_lose_their_address() {
        for md in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](jav&#x61;script:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
        ] {
            let html = to_html(md);
            assert!(
                !html.to_ascii_lowercase().contains("href=\"javascript"),
                "{md} -> {html}"
            );
            assert!(!html.contains("href=\"data"), "{md} -> {html}");
            assert!(!html.contains("href=\"vbscript"), "{md} -> {html}");
            assert!(!html.contains("<a "), "{md} -> {html}");
        }
        assert!(to_html("[ok](https://example.org/a)").contains("href=\"https://example.org/a\""));
        for relative in [
            "[x](/policy)",
            "[x](//evil.example/x)",
            "[x](policy.html)",
            "[x](\\\\evil)",
            "[x](https:)",
        ] {
            let html = to_html(relative);
            assert!(!html.contains("href"), "{relative} -> {html}");
        }
        assert!(to_html("[ok](mailto:office@example.org)").contains("href=\"mailto:"));
    }

    #[test]
    fn images_become_text() {
        let html = to_html("![a logo](https://tracker.example/pixel.gif)");
        assert!(!html.contains("<img"));
        assert!(html.contains("a logo"));
    }

    #[test]
    fn safe_html_converts_for_pages() {
        let rendered = render("*hi*");
        assert_eq!(rendered.as_ref(), "<p><em>hi</em></p>\n");
        assert_eq!(rendered.to_string(), rendered.as_str());
        assert_eq!(rendered.clone().into_string(), "<p><em>hi</em></p>\n");
    }
}
