//! QR codes for letters, as inline SVG (no image requests, prints sharply).
//!
//! The modules are exactly those `qrcode::QrCode::new` makes (error correction M, the smallest
//! version that fits, the mask with the lowest penalty), but the mask is scored here: the crate's
//! scoring allocates for every module it looks at, and was most of the time of printing letters.
//! The SVG merges each row's dark modules into runs instead of one square each.

use std::fmt::Write as _;
use std::thread;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, QrCode, bits, ec};

use super::markdown::SafeHtml;

const EC_LEVEL: EcLevel = EcLevel::M;
/// Light modules around the code, as the standard asks for a normal QR code.
const QUIET_ZONE: usize = 4;
/// In the order the crate tries them, so a tie picks the same mask.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];
/// Below this many codes a batch is not worth a thread.
const PER_THREAD: usize = 64;

/// An `<svg>` element encoding `text`, or `None` if it is too long for a QR code.
pub fn svg(text: &str) -> Option<SafeHtml> {
    let (width, dark) = modules(text)?;
    Some(SafeHtml::drawn(draw(width, &dark)))
}

/// [`svg`] for each of `texts`, in the same order, spread over the machine's cores.
pub fn svgs(texts: &[String]) -> Vec<Option<SafeHtml>> {
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(texts.len().div_ceil(PER_THREAD)).max(1);
    let per = texts.len().div_ceil(threads).max(1);
    let all = |chunk: &[String]| chunk.iter().map(|t| svg(t)).collect::<Vec<_>>();
    let mut chunks = texts.chunks(per);
    let first = chunks.next().unwrap_or_default();
    thread::scope(|s| {
        let rest: Vec<_> = chunks.map(|c| s.spawn(move || all(c))).collect();
        let mut out = all(first);
        for handle in rest {
            out.extend(
                handle
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            );
        }
        out
    })
}

/// The code's width in modules and whether each module is dark, row by row.
fn modules(text: &str) -> Option<(usize, Vec<bool>)> {
    let bits = bits::encode_auto(text.as_bytes(), EC_LEVEL).ok()?;
    let version = bits.version();
    let width = usize::try_from(version.width()).ok()?;
    if width > MAX_FAST_WIDTH {
        // A link this long is rare: let the crate score the masks, slowly.
        let code = QrCode::with_bits(bits, EC_LEVEL).ok()?;
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark);
        return Some((width, dark.collect()));
    }
    let (data, ec) = ec::construct_codewords(&bits.into_bytes(), version, EC_LEVEL).ok()?;
    let mut canvas = Canvas::new(version, EC_LEVEL);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    let dark = MASKS
        .iter()
        .map(|&mask| {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark: Vec<bool> = masked
                .into_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            (penalty(width, &dark), dark)
        })
        .min_by_key(|(score, _)| *score)?
        .1;
    Some((width, dark))
}

/// The widest code whose rows and columns fit in a `u64` (version 11).
const MAX_FAST_WIDTH: usize = 61;

/// The standard's penalty for a masked code (lower scans better), scored as the crate scores
/// it, with each row and column as the bits of a `u64`.
fn penalty(w: usize, dark: &[bool]) -> u32 {
    let mut rows = [0u64; MAX_FAST_WIDTH];
    let mut cols = [0u64; MAX_FAST_WIDTH];
    for ((y, row), bits) in dark.chunks_exact(w).enumerate().zip(&mut rows) {
        for ((x, &d), col) in row.iter().enumerate().zip(&mut cols) {
            *bits |= u64::from(d) << x;
            *col |= u64::from(d) << y;
        }
    }
    let (rows, cols) = (&rows[..w], &cols[..w]);
    let inner = (1u64 << (w - 1)) - 1;
    let lines: u32 = rows.iter().chain(cols).map(|&l| line_penalty(l, w)).sum();
    let blocks: u32 = rows
        .windows(2)
        .map(|p| {
            let alike = !(p[0] ^ p[1]) & !(p[0] ^ (p[0] >> 1)) & !(p[1] ^ (p[1] >> 1));
            3 * (alike & inner).count_ones()
        })
        .sum();
    let dark_count = rows.iter().map(|r| r.count_ones()).sum::<u32>();
    let ratio = dark_count * 200 / (w * w) as u32;
    lines + blocks + ratio.abs_diff(100)
}

/// One line's runs of five or more alike, and its finder-like `#.###.#` with four light modules
/// on a side (off the code counts as light). The crate takes a constant off for the three real
/// finder patterns; that changes no choice, so it is left out.
fn line_penalty(line: u64, w: usize) -> u32 {
    // Bit x: module x is like module x + 1; then: modules x..=x+4 are all alike.
    let alike = !(line ^ (line >> 1)) & ((1u64 << (w - 1)) - 1);
    let five = alike & (alike >> 1) & (alike >> 2) & (alike >> 3);
    // A run of n ≥ 5 scores n − 2: its n − 4 fives, plus 2 for where it starts.
    let runs = five.count_ones() + 2 * (five & !(five << 1)).count_ones();

    const FINDER: [bool; 7] = [true, false, true, true, true, false, true];
    let starts = (1u64 << (w - 6)) - 1;
    let finder = FINDER.iter().enumerate().fold(starts, |m, (k, &d)| {
        m & if d { line >> k } else { !(line >> k) }
    });
    let dark_before = (1..=4).fold(0, |m, k| m | (line << k));
    let dark_after = (7..=10).fold(0, |m, k| m | (line >> k));
    let finders = (finder & (!dark_before | !dark_after)).count_ones();
    runs + 40 * finders
}

/// The SVG: a white square, and one path in which each run of dark modules in a row is a
/// rectangle one module high. Each rectangle's `m` is relative to the one before (after `z` the
/// pen is back at the start of the last rectangle).
fn draw(width: usize, dark: &[bool]) -> String {
    let size = width + 2 * QUIET_ZONE;
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<svg aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" \
         version=\"1.1\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\""
    );
    let (mut pen_x, mut pen_y) = (0, 0);
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            let (left, top, n) = (start + QUIET_ZONE, y + QUIET_ZONE, x - start);
            let (dx, dy) = (left as i64 - pen_x, top as i64 - pen_y);
            let _ = write!(out, "m{dx} {dy}h{n}v1h-{n}z");
            (pen_x, pen_y) = (left as i64, top as i64);
        }
    }
    out.push_str("\"/></svg>");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use qrcode::render::svg;
    use qrcode::{Color, QrCode};

    use super::QUIET_ZONE;

    const LINK: &str = "https://sign.example.sch.uk/s/KDFR7QXPM3";

    /// Reads our SVG back into a grid of dark modules (quiet zone included), checking that every
    /// rectangle is one row high and that no two touch in a row (the runs are merged).
    fn decode(svg: &str) -> (usize, Vec<bool>) {
        let size: usize = svg
            .split("viewBox=\"0 0 ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .unwrap()
            .parse()
            .unwrap();
        let d = svg
            .split(" d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let mut grid = vec![false; size * size];
        let (mut x, mut y) = (0i64, 0i64);
        for rect in d.split_terminator('z') {
            let rect = rect.strip_prefix('m').unwrap();
            let (dx, rest) = rect.split_once(' ').unwrap();
            let (dy, rest) = rest.split_once('h').unwrap();
            let (n, rest) = rest.split_once("v1h-").unwrap();
            assert_eq!(n, rest, "a rectangle closes on itself");
            (x, y) = (
                x + dx.parse::<i64>().unwrap(),
                y + dy.parse::<i64>().unwrap(),
            );
            let (x, y, n) = (x as usize, y as usize, n.parse::<usize>().unwrap());
            assert!(n > 0 && x + n <= size && y < size);
            assert!(x == 0 || !grid[y * size + x - 1], "runs are merged");
            for cell in &mut grid[y * size + x..y * size + x + n] {
                assert!(!*cell, "rectangles do not overlap");
                *cell = true;
            }
        }
        (size, grid)
    }

    /// The crate's own code for `text`, with the quiet zone, as a grid of dark modules.
    fn expected(text: &str) -> (usize, Vec<bool>) {
        let code = QrCode::new(text.as_bytes()).unwrap();
        let w = code.width();
        let size = w + 2 * QUIET_ZONE;
        let mut grid = vec![false; size * size];
        for (i, c) in code.to_colors().into_iter().enumerate() {
            grid[(i / w + QUIET_ZONE) * size + i % w + QUIET_ZONE] = c == Color::Dark;
        }
        (size, grid)
    }

    #[test]
    fn makes_inline_svg() {
        let s = super::svg(LINK).unwrap().into_string();
        assert!(s.starts_with("<svg aria-hidden=\"true\" focusable=\"false\""));
        assert!(s.contains("<path"));
        assert!(s.contains("viewBox=\"0 0 37 37\""));
        assert!(s.contains("shape-rendering=\"crispEdges\""));
        assert!(!s.contains("<?xml"));
    }

    #[test]
    fn draws_the_same_modules_as_the_crate() {
        let mut texts = vec![
            LINK.to_string(),
            "http://127.0.0.1:8080/s/ABCDEFGHJK".into(),
        ];
        for i in 0..200 {
            let code = crate::domain::code::SigningCode::generate();
            texts.push(format!("https://host{i}.example/s/{}", code.as_str()));
        }
        // Every version up to 14, so both the fast scoring and the crate's are compared.
        for n in (0..330).step_by(9) {
            texts.push(format!(
                "https://{}.example/s/KDFR7QXPM3",
                "school".repeat(n / 6)
            ));
            texts.push(format!("HTTPS://SIGN.EXAMPLE/S/{}", "7QXP".repeat(n / 4)));
        }
        for text in &texts {
            let svg = super::svg(text).unwrap().into_string();
            assert_eq!(decode(&svg), expected(text), "{text}");
        }
    }

    #[test]
    fn merges_runs_into_a_much_smaller_path() {
        let ours = super::svg(LINK).unwrap().into_string();
        let theirs = QrCode::new(LINK.as_bytes())
            .unwrap()
            .render::<svg::Color<'_>>()
            .module_dimensions(1, 1)
            .quiet_zone(true)
            .build();
        assert!(
            ours.len() * 2 < theirs.len(),
            "{} vs {}",
            ours.len(),
            theirs.len()
        );
    }

    #[test]
    fn a_long_link_gets_a_bigger_code_and_too_long_gets_none() {
        let long = format!("https://{}.example.sch.uk/s/KDFR7QXPM3", "a".repeat(200));
        let svg = super::svg(&long).unwrap().into_string();
        let (size, grid) = decode(&svg);
        assert!(size > 37);
        assert_eq!((size, grid), expected(&long));
        assert!(super::svg(&"x".repeat(3000)).is_none());
    }

    #[test]
    fn a_batch_keeps_its_order() {
        let texts: Vec<String> = (0..300).map(|i| format!("{LINK}{i}")).collect();
        let batch = super::svgs(&texts);
        assert_eq!(batch.len(), texts.len());
        for (text, svg) in texts.iter().zip(batch) {
            assert_eq!(
                svg.unwrap().into_string(),
                super::svg(text).unwrap().into_string()
            );
        }
        assert!(super::svgs(&[]).is_empty());
    }
}
