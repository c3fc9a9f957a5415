//! Which language a parent page is in: `?lang=` on any link, else (on a carer's own pages) the
//! carer's remembered language, else the `lang` cookie the switch leaves, else English.

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri};

use crate::domain::i18n::{Lang, Tr};

/// The name of the cookie that remembers the switch on pages without a code.
pub const COOKIE_NAME: &str = "lang";

/// What a request says about its language.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// `?lang=` (a language with a catalogue; others are ignored).
    pub asked: Option<Lang>,
    /// The `lang` cookie.
    pub cookie: Option<Lang>,
    /// The request's path and query without `lang`: where the switch and a redirect go.
    pub here: String,
}

impl Choice {
    pub fn of(uri: &Uri, headers: &HeaderMap) -> Choice {
        let mut asked = None;
        let mut kept = Vec::new();
        for pair in uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
        {
            match pair.split_once('=') {
                Some(("lang", v)) => asked = asked.or(Lang::parse(v)),
                _ if pair == "lang" => {}
                _ => kept.push(pair),
            }
        }
        let here = if kept.is_empty() {
            uri.path().to_string()
        } else {
            format!("{}?{}", uri.path(), kept.join("&"))
        };
        Choice {
            asked,
            cookie: cookie(headers),
            here,
        }
    }

    /// A page without a code: asked, else the cookie, else English.
    pub fn anonymous(&self) -> Tr {
        Tr::at(self.asked.or(self.cookie).unwrap_or_default(), &*self.here)
    }

    /// A carer's own page: asked, else their language (English for one with no catalogue).
    pub fn carer(&self, tag: Option<&str>) -> Tr {
        Tr::at(self.asked.unwrap_or(Lang::of_tag(tag)), &*self.here)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Choice {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Choice::of(&parts.uri, &parts.headers))
    }
}

/// The language the `lang` cookie names, if any.
fn cookie(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE_NAME)
        .and_then(|(_, v)| Lang::parse(v))
}

/// Whether a path is a staff page (always English, and never given the cookie).
pub fn is_staff(path: &str) -> bool {
    ["/office", "/head", "/staff", "/trust", "/notify"]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The `Set-Cookie` that remembers a language asked for with `?lang=` (a year, this site only).
pub fn remember(lang: Lang, https: bool) -> Option<HeaderValue> {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE_NAME}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        lang.code()
    ))
    .ok()
}

/// Adds [`remember`] to a response to a request that asked for a language.
pub fn set_cookie(headers: &mut HeaderMap, asked: Option<Lang>, https: bool) {
    if let Some(v) = asked.and_then(|l| remember(l, https)) {
        headers.append(SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(uri: &str, cookie: Option<&str>) -> Choice {
        let mut h = HeaderMap::new();
        if let Some(c) = cookie {
            h.insert(COOKIE, HeaderValue::from_str(c).expect("header"));
        }
        Choice::of(&uri.parse().expect("uri"), &h)
    }

    #[test]
    fn asked_beats_cookie_beats_english() {
        let c = choice("/policy?lang=cy", Some("lang=en-GB"));
        assert_eq!(c.anonymous().lang, Lang::Welsh);
        assert_eq!(c.here, "/policy");
        let c = choice("/policy", Some("a=b; lang=cy"));
        assert_eq!(c.anonymous().lang, Lang::Welsh);
        assert_eq!(choice("/policy", None).anonymous().lang, Lang::English);
        assert_eq!(
            choice("/policy?lang=xx", None).anonymous().lang,
            Lang::English
        );
    }

    #[test]
    fn a_carer_page_takes_their_language_not_the_cookie() {
        let c = choice("/s/ABC?signed=1&lang=cy", Some("lang=en-GB"));
        assert_eq!(c.here, "/s/ABC?signed=1");
        assert_eq!(c.carer(None).lang, Lang::Welsh);
        let c = choice("/s/ABC", Some("lang=cy"));
        assert_eq!(c.carer(Some("en-GB")).lang, Lang::English);
        assert_eq!(c.carer(Some("cy")).lang, Lang::Welsh);
        assert_eq!(c.carer(Some("pl")).lang, Lang::English);
    }

    #[test]
    fn staff_pages_are_known() {
        assert!(is_staff("/office"));
        assert!(is_staff("/head/staff"));
        assert!(!is_staff("/official"));
        assert!(!is_staff("/s/ABC"));
    }
}
