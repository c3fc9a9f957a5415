//! What a message says: the school's wording with placeholders filled for one carer, the HTML
//! part made from the plain text, and how many parts a text message takes.

use std::fmt::Write;

use crate::domain::i18n::Tr;

/// The placeholders a school can use, and what each becomes.
pub const PLACEHOLDERS: [(&str, &str); 8] = [
    ("name", "the carer's name"),
    ("children", "their children's first names"),
    ("school", "the school's name"),
    ("document", "the document's title"),
    (
        "deadline",
        "“by 12 December 2026”, or “as soon as you can” without a deadline",
    ),
    ("link", "their personal signing link"),
    ("code", "their personal code, for typing in"),
    ("signing_page", "the page where a code is typed in"),
];

pub const DEFAULT_SUBJECT: &str = "Please sign: {document}";

pub const DEFAULT_EMAIL: &str = "Dear {name},

{school} asks every parent and carer to read our {document} and sign to say you will keep to it. Your signature covers {children}.

Please read and sign it {deadline}: {link}

It takes a few minutes on a phone. If the link does not open, go to {signing_page} and type your personal code: {code}

Thank you,
{school}";

/// Short enough for one text-message part with a typical school name, two children and the link.
pub const DEFAULT_SMS: &str =
    "{school}: please sign the parents' code of conduct for {children} {deadline}: {link}";

/// The values for one carer.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub name: String,
    pub children: String,
    pub school: String,
    pub document: String,
    pub deadline: String,
    pub link: String,
    pub code: String,
    pub signing_page: String,
}

impl Fields {
    fn get(&self, key: &str) -> Option<&str> {
        Some(match key {
            "name" => &self.name,
            "children" => &self.children,
            "school" => &self.school,
            "document" => &self.document,
            "deadline" => &self.deadline,
            "link" => &self.link,
            "code" => &self.code,
            "signing_page" => &self.signing_page,
            _ => return None,
        })
    }
}

impl Fields {
    /// Every value by its placeholder's name, for a catalogue's message.
    fn args(&self) -> [(&'static str, &str); 8] {
        [
            ("name", &self.name),
            ("children", &self.children),
            ("school", &self.school),
            ("document", &self.document),
            ("deadline", &self.deadline),
            ("link", &self.link),
            ("code", &self.code),
            ("signing_page", &self.signing_page),
        ]
    }
}

/// The catalogue's wording in `tr`'s language filled for one carer: (subject, email, text
/// message), for carers who read a language other than the school's own (English) wording.
pub fn translated(tr: &Tr, f: &Fields) -> (String, String, String) {
    let args = f.args();
    (
        without_isolation(&tr.t_args("msg-subject", &args)),
        without_isolation(&tr.t_args("msg-email", &args)),
        without_isolation(&tr.t_args("msg-sms", &args)),
    )
}

/// "by 12 December 2026" or "erbyn 12 Rhagfyr 2026"; "as soon as you can" without a deadline.
pub fn deadline_in(tr: &Tr, deadline: Option<time::Date>) -> String {
    match deadline {
        Some(d) => tr.t1(
            "msg-deadline-by",
            "date",
            crate::domain::london::format_date_in(tr.lang, d),
        ),
        None => tr.t("msg-deadline-none"),
    }
}

/// Plain text without Fluent's bidi isolation marks (U+2068, U+2069): the catalogues are made
/// without them, and this keeps any from reaching an email's text or a text message, where they
/// would show as boxes or make the message use 70-character parts.
pub fn without_isolation(text: &str) -> String {
    text.replace(['\u{2068}', '\u{2069}'], "")
}

/// "Amy", "Amy and Ben", "Amy, Ben and Cara".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "by 12 December 2026", or "as soon as you can".
pub fn deadline_phrase(deadline: Option<time::Date>) -> String {
    match deadline {
        Some(d) => format!("by {}", crate::domain::london::format_date(d)),
        None => "as soon as you can".to_string(),
    }
}

/// The template with every `{placeholder}` filled; an unknown one is left as typed (saving the
/// wording refuses those, so this only matters for wording saved before a placeholder was renamed).
pub fn fill(template: &str, f: &Fields) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if f.get(&after[..end]).is_some() => {
                out.push_str(f.get(&after[..end]).unwrap_or_default());
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What is wrong with a template, in words for the headteacher; empty when it is fine.
pub fn problems(template: &str, needs_link: bool) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let key = &after[..end];
        if !PLACEHOLDERS.iter().any(|(k, _)| *k == key) && !key.contains(char::is_whitespace) {
            found.push(format!(
                "{{{key}}} is not a placeholder. Use {}.",
                PLACEHOLDERS
                    .iter()
                    .map(|(k, _)| format!("{{{k}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        rest = &after[end + 1..];
    }
    if needs_link && !template.contains("{link}") && !template.contains("{code}") {
        found.push("Include {link} (or {code}) so the carer can reach the form.".to_string());
    }
    found
}

/// The email's HTML part: the same text, escaped, in paragraphs, with the signing link made a
/// link. No images, no styles from elsewhere.
pub fn html_part(text: &str, link: &str, stop_url: &str, stop_words: &str) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body style=\"font-family:Arial,sans-serif;font-size:16px;line-height:1.5\">",
    );
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let escaped = escape(para).replace('\n', "<br>");
        let linked = if link.is_empty() {
            escaped
        } else {
            let l = escape(link);
            escaped.replace(&l, &format!("<a href=\"{l}\">{l}</a>"))
        };
        let _ = write!(html, "<p>{linked}</p>");
    }
    let _ = write!(
        html,
        "<p style=\"font-size:14px;color:#505a5f\">{w} <a href=\"{s}\">{s}</a></p></body></html>",
        w = escape(stop_words),
        s = escape(stop_url)
    );
    html
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The GSM 03.38 basic character set (one unit each)...
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// ...and its extension (two units each).
const GSM_EXTENDED: &str = "^{}\\[~]|€\x0c";

/// How a text message is counted: its length in units and how many parts it is sent as. A text
/// with any character outside the GSM alphabet (a curly quote, an emoji, ŵ) is sent as UCS-2,
/// which fits 70 characters in one part and 67 in each of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsSize {
    pub units: usize,
    pub parts: usize,
    pub unicode: bool,
}

pub fn sms_size(text: &str) -> SmsSize {
    let gsm = text
        .chars()
        .all(|c| GSM_BASIC.contains(c) || GSM_EXTENDED.contains(c));
    if gsm {
        let units: usize = text
            .chars()
            .map(|c| if GSM_EXTENDED.contains(c) { 2 } else { 1 })
            .sum();
        let parts = if units <= 160 { 1 } else { units.div_ceil(153) };
        SmsSize {
            units,
            parts,
            unicode: false,
        }
    } else {
        let units = text.encode_utf16().count();
        let parts = if units <= 70 { 1 } else { units.div_ceil(67) };
        SmsSize {
            units,
            parts,
            unicode: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Fields {
        Fields {
            name: "Mrs Greaves".into(),
            children: "Amy and Ben".into(),
            school: "Oakfield Primary School".into(),
            document: "Social Media Code of Conduct for Parents".into(),
            deadline: deadline_phrase(Some(time::macros::date!(2026 - 12 - 12))),
            link: "https://sign.oakfield.sch.uk/s/KDFR7QXPM3".into(),
            code: "KDFR-7QXP-M3".into(),
            signing_page: "https://sign.oakfield.sch.uk/sign".into(),
        }
    }

    #[test]
    fn fills_every_placeholder_and_leaves_other_braces() {
        let out = fill(
            "Dear {name}, {children} {deadline} {link} {code} {x} {",
            &sample(),
        );
        assert_eq!(
            out,
            "Dear Mrs Greaves, Amy and Ben by 12 December 2026 https://sign.oakfield.sch.uk/s/KDFR7QXPM3 KDFR-7QXP-M3 {x} {"
        );
    }

    #[test]
    fn the_default_text_fits_one_part() {
        let s = sms_size(&fill(DEFAULT_SMS, &sample()));
        assert_eq!((s.parts, s.unicode), (1, false), "{s:?}");
    }

    #[test]
    fn counts_parts_in_both_alphabets() {
        assert_eq!(sms_size(&"a".repeat(160)).parts, 1);
        assert_eq!(sms_size(&"a".repeat(161)).parts, 2);
        assert_eq!(sms_size(&"a".repeat(306)).parts, 2);
        assert_eq!(sms_size(&"a".repeat(307)).parts, 3);
        assert_eq!(sms_size(&"€".repeat(80)).units, 160);
        // A Welsh circumflex makes the whole text UCS-2: 70 in one part, 67 in each of several.
        let welsh = format!("ŵ{}", "a".repeat(69));
        assert_eq!(
            sms_size(&welsh),
            SmsSize {
                units: 70,
                parts: 1,
                unicode: true
            }
        );
        assert_eq!(sms_size(&format!("{welsh}a")).parts, 2);
        assert!(sms_size("’").unicode);
    }

    #[test]
    fn problems_name_what_to_fix() {
        assert!(problems(DEFAULT_EMAIL, true).is_empty());
        assert!(problems(DEFAULT_SMS, true).is_empty());
        assert!(problems("Dear {nmae}: {link}", true)[0].contains("{nmae} is not a placeholder"));
        assert!(problems("Please sign", true)[0].contains("Include {link}"));
        assert!(problems("Please sign", false).is_empty());
    }

    #[test]
    fn html_is_escaped_and_linked() {
        let html = html_part(
            "A <b> & {x}\n\nGo: https://x/s/A",
            "https://x/s/A",
            "https://x/stop/1",
            "To stop these emails:",
        );
        assert!(html.contains("A &lt;b&gt; &amp; {x}"));
        assert!(html.contains("<a href=\"https://x/s/A\">https://x/s/A</a>"));
        assert!(html.contains("https://x/stop/1"));
        assert!(!html.contains("<img"));
    }

    fn welsh(deadline: Option<time::Date>) -> (String, String, String) {
        let tr = Tr::new(crate::domain::i18n::Lang::Welsh);
        let f = Fields {
            children: tr.list(&["Cerys".to_string(), "Dafydd".to_string()]),
            school: "Ysgol Gynradd Pen-y-bryn".into(),
            deadline: deadline_in(&tr, deadline),
            ..sample()
        };
        translated(&tr, &f)
    }

    #[test]
    fn welsh_messages_carry_no_isolation_marks() {
        let (subject, email, sms) = welsh(Some(time::macros::date!(2026 - 12 - 12)));
        for text in [&subject, &email, &sms] {
            assert!(!text.contains(['\u{2068}', '\u{2069}']), "{text:?}");
        }
        assert_eq!(
            sms,
            "Ysgol Gynradd Pen-y-bryn: llofnodwch god ymddygiad y rhieni ar gyfer Cerys a Dafydd \
             erbyn 12 Rhagfyr 2026: https://sign.oakfield.sch.uk/s/KDFR7QXPM3"
        );
        assert!(email.starts_with("Annwyl Mrs Greaves,\n\nMae Ysgol Gynradd Pen-y-bryn"));
        assert!(email.contains("KDFR-7QXP-M3"));
        assert_eq!(without_isolation("a\u{2068}b\u{2069}c"), "abc");
    }

    #[test]
    fn a_welsh_reminder_is_counted_in_70_character_parts() {
        // "cyn gynted â phosibl" (as soon as you can): the circumflex makes it UCS-2.
        let (_, _, sms) = welsh(None);
        assert!(sms.contains("cyn gynted â phosibl"), "{sms}");
        let size = sms_size(&sms);
        assert!(size.unicode, "{size:?}");
        assert_eq!(size.units, sms.encode_utf16().count());
        assert!(size.units > 70, "{size:?}");
        assert_eq!(size.parts, size.units.div_ceil(67), "{size:?}");
        assert_eq!(size.parts, 3, "{size:?}");
        // The same words with a plain "a" fit one 160-character part.
        let plain = sms_size(&sms.replace('â', "a"));
        assert_eq!((plain.parts, plain.unicode), (1, false), "{plain:?}");
    }

    #[test]
    fn names_join_in_english() {
        let n = |v: &[&str]| join_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(n(&["Amy"]), "Amy");
        assert_eq!(n(&["Amy", "Ben"]), "Amy and Ben");
        assert_eq!(n(&["Amy", "Ben", "Cara"]), "Amy, Ben and Cara");
    }
}
