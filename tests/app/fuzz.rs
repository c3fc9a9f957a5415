//! Fuzz targets (proptest): the code parser, the roster importer and the Word-paste cleaner never
//! panic, and keep their promises, on arbitrary input. `PROPTEST_CASES=20000 cargo test --release
//! --test app fuzz` runs them for longer; the suite runs each briefly.

use proptest::prelude::*;
use signoff::domain::code::SigningCode;
use signoff::domain::roster;
use signoff::domain::wordpaste;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn code_parser_never_panics(s in any::<String>()) {
        let _ = SigningCode::parse(&s);
    }

    #[test]
    fn any_generated_code_reads_back_however_it_is_typed(lower in any::<bool>(), spaced in any::<bool>()) {
        let code = SigningCode::generate();
        let mut typed = code.display();
        if lower { typed = typed.to_lowercase(); }
        if spaced { typed = typed.replace('-', " "); }
        prop_assert_eq!(SigningCode::parse(&typed).unwrap(), code);
    }

    #[test]
    fn roster_parser_never_panics(s in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for text in [s, roster::decode(bytes)] {
            if let Ok(table) = roster::Table::read(text) {
                let (mapping, _) = roster::Mapping::guess(&table.headers);
                let mut parsed = roster::read(&table, &mapping);
                let _ = roster::plan(&mut parsed, &roster::Existing::default());
            }
        }
    }

    #[test]
    fn roster_rows_of_valid_names_import_cleanly(rows in proptest::collection::vec(("[A-Za-zÀ-ÿ' ]{1,12}[A-Za-z]", "[A-Za-z]{1,10}", "[1-6][A-C]", "[A-Za-z]{1,10}", "[A-Za-z]{1,10}"), 1..20)) {
        let mut csv = String::from("pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\n");
        for (pf, pl, class, cf, cl) in &rows {
            csv.push_str(&format!("\"{pf}\",{pl},{class},{cf},{cl}\n"));
        }
        let (_, mut parsed) = roster::parse(&csv).unwrap();
        // Two rows for the same pupil name in different classes are an error on the class, not a
        // panic; names in capitals and repeated rows are warnings.
        for p in &parsed.problems {
            prop_assert!(
                if p.is_error() { p.column == "class" } else { p.message.contains("capitals") || p.message.contains("same as row") },
                "{:?}", p
            );
        }
        let (pupils, carers) = (parsed.pupils.len(), parsed.carers.len());
        let plan = roster::plan(&mut parsed, &roster::Existing::default());
        prop_assert_eq!(plan.add_pupils.len(), pupils);
        prop_assert_eq!(plan.add_carers.len(), carers);
    }

    #[test]
    fn word_paste_cleaner_never_panics_and_leaves_no_tabs(s in any::<String>()) {
        let c = wordpaste::clean(&s);
        prop_assert!(!c.body_md.contains('\t') && !c.body_md.contains('\r'));
        prop_assert!(!c.body_md.contains("\n\n\n"));
    }

    #[test]
    fn word_paste_keeps_every_word(lines in proptest::collection::vec(
        (prop_oneof![Just(""), Just("· "), Just("•\t"), Just("1. "), Just("[bookmark: _x]")], "[a-z]{1,8}( [a-z]{1,8}){0,8}[.:]?"),
        1..30,
    )) {
        let paste: String = lines.iter().map(|(prefix, text)| format!("{prefix}{text}\r\n")).collect();
        let c = wordpaste::clean(&paste);
        let out = format!("{} {}", c.title.unwrap_or_default(), c.body_md);
        for (_, text) in &lines {
            for word in text.split(|ch: char| !ch.is_alphanumeric()).filter(|w| !w.is_empty()) {
                prop_assert!(out.split(|ch: char| !ch.is_alphanumeric()).any(|w| w == word), "{word:?} lost from {paste:?}: {out:?}");
            }
        }
    }
}
