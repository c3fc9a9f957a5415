//! Policy Markdown to safe HTML.
//!
//! pulldown-cmark escapes all text and attribute values it writes; the only ways to inject markup
//! are raw HTML and link or image addresses. Raw HTML is shown as literal text, links keep only
//! absolute `http`, `https`, `mailto` and `tel` addresses (a relative or protocol-relative one
//! could point anywhere the page is served from, or to another host), and images become their
//! alt text, since a page may load nothing from another host.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Renders policy Markdown to HTML that is safe to place in a page.
pub fn render(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TABLES);
    let mut dropped_links = 0usize;
    let mut events = Vec::new();
    let mut in_image = 0usize;
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
    out
}

/// The page's own `<h1>` is the document title, so the body's headings start at `<h2>`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
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

    #[test]
    fn renders_structure() {
        let html = render("# Intent\n\nWe **care**.\n\n- one\n- two\n");
        assert!(html.contains("<h2>Intent</h2>"));
        assert!(html.contains("<strong>care</strong>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn script_and_raw_html_are_inert() {
        let html = render(
            "Hi <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick=\"x\">d</div>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
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
            let html = render(md);
            assert!(
                !html.to_ascii_lowercase().contains("href=\"javascript"),
                "{md} -> {html}"
            );
            assert!(!html.contains("href=\"data"), "{md} -> {html}");
            assert!(!html.contains("href=\"vbscript"), "{md} -> {html}");
        }
        assert!(render("[ok](https://example.org/a)").contains("href=\"https://example.org/a\""));
        for relative in [
            "[x](/policy)",
            "[x](//evil.example/x)",
            "[x](policy.html)",
            "[x](\\\\evil)",
            "[x](https:)",
        ] {
            let html = render(relative);
            assert!(!html.contains("href"), "{relative} -> {html}");
        }
        assert!(render("[ok](mailto:office@example.org)").contains("href=\"mailto:"));
    }

    #[test]
    fn images_become_text() {
        let html = render("![a logo](https://tracker.example/pixel.gif)");
        assert!(!html.contains("<img"));
        assert!(html.contains("a logo"));
    }
}
