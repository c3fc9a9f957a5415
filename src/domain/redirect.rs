//! Where staff go back to after signing in.

/// Where to go after signing in: only a staff page of this portal. Browsers drop tabs and line
/// breaks from an address and read `\\` as `/`, so `/\t/evil.example` would leave the site; only
/// printable ASCII without `\\` under `/office` or `/head` is kept, which also makes it always a
/// valid `Location` header.
pub fn safe_next(next: Option<&str>) -> String {
    let staff_page = |n: &str| {
        ["/office", "/head"].iter().any(|area| {
            n.strip_prefix(area)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '?', '#']))
        })
    };
    match next {
        Some(n)
            if n.len() <= 2000
                && n.chars().all(|c| c.is_ascii_graphic() && c != '\\')
                && !n.contains("//")
                && staff_page(n) =>
        {
            n.to_string()
        }
        _ => "/office".to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_staff_pages_are_returned_to() {
        use super::safe_next;
        for ok in [
            "/office",
            "/office/carers?class=3B&status=outstanding",
            "/head/staff",
        ] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
        for bad in [
            "/\t/evil.example/phish",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/office",
            "/office\r\nSet-Cookie: x=1",
            "/office/../..//evil.example",
            "/officer",
            "/s/CODE",
            "/ office",
        ] {
            assert_eq!(safe_next(Some(bad)), "/office", "{bad:?}");
        }
    }
}
