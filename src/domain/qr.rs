//! QR codes for letters, as inline SVG (no image requests, prints sharply).

use qrcode::QrCode;
use qrcode::render::svg;

use super::markdown::SafeHtml;

/// An `<svg>` element encoding `text`, or `None` if it is too long for a QR code.
pub fn svg(text: &str) -> Option<SafeHtml> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    // Drop the XML declaration: the SVG is placed inside an HTML page.
    image.find("<svg").map(|i| {
        SafeHtml::drawn(image[i..].replacen(
            "<svg ",
            "<svg aria-hidden=\"true\" focusable=\"false\" ",
            1,
        ))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_inline_svg() {
        let s = super::svg("https://sign.example.sch.uk/s/KDFR7QXPM3")
            .unwrap()
            .into_string();
        assert!(s.starts_with("<svg aria-hidden"));
        assert!(s.contains("<path"));
        assert!(!s.contains("<?xml"));
    }
}
