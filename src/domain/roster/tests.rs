//! Reading whole files and planning imports.

use super::*;

fn parsed(text: &str) -> Parsed {
    match parse(text) {
        Ok((_, p)) => p,
        Err(gaps) => panic!("{gaps:?}"),
    }
}

fn found(p: &Parsed) -> Vec<(usize, &str, Severity)> {
    p.problems
        .iter()
        .map(|x| (x.row, x.column.as_str(), x.severity))
        .collect()
}

const PAIRS: &str = "\u{feff}Pupil First Name,Pupil Last Name,Class,Year Group,Carer First Name,Carer Last Name,Relationship,Email\n\
    Finn,O'Brien,3B,Year 3,Zoë,O'Brien,Mother,zoe@example.org\n\
    \n\
    Ava,O'Brien,5A,Year 5,Zoë,O'Brien,Mother,zoe@example.org\n\
    \"Mei\",\"Li\",3B,Year 3,\"Xiuying\",\"Wang\",Mother,\n";

#[test]
fn pairs_are_read_and_carers_merged() {
    let p = parsed(PAIRS);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(
        (p.rows, p.pupils.len(), p.carers.len(), p.links.len()),
        (3, 3, 2, 3)
    );
}

#[test]
fn camel_case_headers_with_address_lines_are_read_whole() {
    let f = "PupilForename,PupilSurname,RegGroup,NCYear,ContactTitle,ContactForename,ContactSurname,ContactRelationship,PrimaryEmail,MobilePhone,Address1,Address2,Address3,Town,County,Postcode\r\n\
             Rosa,Quill,4K,4,Mrs,Hana,Quill,Mother,hana@example.net,07700 900111,Flat 2,9 Pine Walk,Upper Dell,Oakfield,Exampleshire,ok1 9zz\r\n";
    let p = parsed(f);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let c = &p.carers[0];
    assert_eq!(
        c.address,
        "Flat 2\n9 Pine Walk\nUpper Dell\nOakfield\nExampleshire"
    );
    assert_eq!((c.title.as_str(), c.postcode.as_str()), ("Mrs", "OK1 9ZZ"));
    assert_eq!(c.phone, "07700 900111");
    assert_eq!(p.pupils[0].year_group, "4");
}

#[test]
fn wide_files_with_numbered_contacts_and_full_names() {
    let f = "Name,Form,Contact 1 Name,Contact 1 Email,Contact 2 Name,Contact 2 Mobile,Contact 3 Name\n\
             \"Hill, Tom\",2C,Ann Hill,ann@example.org,Bob Hill,07700 900222,\n\
             Jo Dee,2C,Cat Dee,,,,\n";
    let p = parsed(f);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    assert_eq!(p.pupils[0].first_name, "Tom");
    assert_eq!(p.pupils[0].last_name, "Hill");
    assert_eq!(p.carers.len(), 3);
    assert_eq!(p.carers[1].phone, "07700 900222");
    assert_eq!(p.links.len(), 3);
}

#[test]
fn errors_and_warnings_name_the_excel_row_and_the_files_own_header() {
    let f = "Forename,Surname,Reg Group,Contact Forename,Contact Surname,Contact Email,Contact Mobile\r\n\
             Amy,Shaw,2C,Kim,Shaw,kim@example.org,\r\n\
             \r\n\
             ,Lowe,2C,Pat,Lowe,,\r\n\
             Ben,Hart,,Jo,Hart,,\r\n\
             \"Cat\nCatherine\",Ives,2C,,Ives,,\r\n\
             Dan,Ross,2C,Lee,Ross,lee-at-example,\r\n\
             Eve,Ruiz,2C,Max,Ruiz,,ring me\r\n\
             Amy,Shaw,2C,Kim,Shaw,kim@example.org,\r\n\
             Fay,Moss,=HYPERLINK(\"x\"),Ida,Moss,,7700900333\r\n\
             GUS,Kerr,2C,Ned,Kerr,,+44 7700 900444\r\n";
    let p = parsed(f);
    use Severity::{Error as E, Warning as W};
    assert_eq!(
        found(&p),
        vec![
            (4, "Forename", E),
            (5, "Reg Group", W),
            (6, "Contact Forename", E),
            (7, "Contact Email", W),
            (8, "Contact Mobile", W),
            (9, "", W),
            (10, "Reg Group", W),
            (10, "Contact Mobile", W),
            (11, "Forename", W),
        ]
    );
    assert_eq!(p.problems[0].pupil, "Lowe");
    assert_eq!(p.problems[3].carer, "Lee Ross");
    assert_eq!(p.problems[3].value, "lee-at-example");
    assert!(p.problems[5].message.contains("row 2"));
    assert_eq!(p.skipped.len(), 2);
    assert_eq!(
        p.held_pupils,
        vec![pupil_key(None, "Cat Catherine", "Ives")]
    );
    let ben = p.pupils.iter().find(|x| x.first_name == "Ben").unwrap();
    assert_eq!(ben.class_name, "", "imported without a class");
    let lee = p.carers.iter().find(|c| c.first_name == "Lee").unwrap();
    assert_eq!(lee.email, "", "the doubtful email is left out");
    let ida = p.carers.iter().find(|c| c.first_name == "Ida").unwrap();
    assert_eq!(
        ida.phone, "07700 900333",
        "the leading 0 Excel dropped is restored"
    );
    let fay = p.pupils.iter().find(|x| x.first_name == "Fay").unwrap();
    assert_eq!(fay.class_name, "=HYPERLINK(\"x\")", "kept as text");
    let ned = p.carers.iter().find(|c| c.first_name == "Ned").unwrap();
    assert_eq!(
        ned.phone, "+44 7700 900444",
        "a + phone number is not a formula"
    );
}

#[test]
fn contacts_without_parental_responsibility_are_not_carers() {
    let f = "Forename,Surname,Class,Contact Forename,Contact Surname,Parental Responsibility\n\
             Ola,Berg,1A,Ivo,Berg,Yes\n\
             Ola,Berg,1A,Gran,Berg,No\n";
    let p = parsed(f);
    assert_eq!(p.carers.len(), 1);
    assert_eq!(p.problems.len(), 1);
    assert!(p.problems[0].message.contains("parental responsibility"));
}

#[test]
fn missing_columns_are_explained() {
    let gaps = parse("name,colour\nTom,red\n").unwrap_err();
    assert!(gaps.iter().any(|g| g.contains("class")), "{gaps:?}");
    assert!(gaps.iter().any(|g| g.contains("carer")), "{gaps:?}");
}

fn existing_from(p: &Parsed) -> Existing {
    Existing {
        pupils: p
            .pupils
            .iter()
            .enumerate()
            .map(|(i, p)| ExistingPupil {
                id: i as i64 + 1,
                mis_id: p.mis_id.clone(),
                first_name: p.first_name.clone(),
                last_name: p.last_name.clone(),
                class_name: p.class_name.clone(),
                year_group: p.year_group.clone(),
                left_on: None,
            })
            .collect(),
        carers: p
            .carers
            .iter()
            .enumerate()
            .map(|(i, c)| ExistingCarer {
                id: i as i64 + 1,
                mis_id: c.mis_id.clone(),
                title: c.title.clone(),
                first_name: c.first_name.clone(),
                last_name: c.last_name.clone(),
                email: c.email.clone(),
                phone: c.phone.clone(),
                address: c.address.clone(),
                postcode: c.postcode.clone(),
                left_on: None,
                language: c.language.clone(),
                language_chosen: false,
            })
            .collect(),
        links: vec![(1, 1), (1, 2), (2, 3)],
    }
}

#[test]
fn plan_adds_then_changes_nothing_then_names_leavers() {
    let p = plan(&mut parsed(PAIRS), &Existing::default());
    assert_eq!(
        (p.add_pupils.len(), p.add_carers.len(), p.add_links.len()),
        (3, 2, 3)
    );
    let existing = existing_from(&parsed(PAIRS));
    let again = plan(&mut parsed(PAIRS), &existing);
    assert_eq!(again.changes(), 0, "{again:?}");
    let mut next_term = parsed(
        "pupil_first_name,pupil_last_name,class,year_group,carer_first_name,carer_last_name,email\n\
         Finn,O'Brien,4B,Year 4,Zoë,O'Brien,zoe@example.org\n",
    );
    let p = plan(&mut next_term, &existing);
    assert_eq!(p.moves().count(), 1);
    let leavers: Vec<&str> = p
        .leave_pupils
        .iter()
        .map(|e| e.first_name.as_str())
        .collect();
    assert_eq!(leavers, ["Ava", "Mei"]);
    assert_eq!(p.leave_carers.len(), 1);
    assert!(p.needs_leaver_confirmation(), "2 of 3 would leave");
    assert_ne!(p.digest(), again.digest());
}

#[test]
fn a_row_kept_out_by_an_error_never_makes_a_leaver_and_a_missing_class_keeps_the_old_one() {
    let existing = existing_from(&parsed(PAIRS));
    let mut next = parsed(
        "pupil_first_name,pupil_last_name,class,year_group,carer_first_name,carer_last_name,email\n\
         Finn,O'Brien,,Year 3,Zoë,O'Brien,zoe@example.org\n\
         Ava,O'Brien,5A,Year 5,,O'Brien,\n\
         Mei,Li,3B,Year 3,Xiuying,Wang,\n",
    );
    assert_eq!(next.skipped.len(), 1);
    let p = plan(&mut next, &existing);
    assert!(p.leave_pupils.is_empty(), "{:?}", p.leave_pupils);
    assert!(
        p.update_pupils.is_empty(),
        "Finn keeps 3B: {:?}",
        p.update_pupils
    );
    assert!(!p.needs_leaver_confirmation());
}

#[test]
fn the_same_pupil_in_two_classes_is_an_error_and_foreign_phones_are_kept() {
    let f = "Forename,Surname,Class,Contact Forename,Contact Surname,Contact Mobile\n\
             Tom,Hill,2C,Ann,Hill,+33 6 12 34 56 78\n\
             Tom,Hill,3C,Bob,Hill,\n";
    let p = parsed(f);
    let kinds: Vec<(usize, Severity)> = p.problems.iter().map(|x| (x.row, x.severity)).collect();
    assert_eq!(kinds, [(2, Severity::Warning), (3, Severity::Error)]);
    assert!(p.problems[0].message.contains("UK phone number"));
    assert!(
        p.problems[1].message.contains("also on row 2 in class 2C"),
        "{:?}",
        p.problems[1]
    );
    assert_eq!(p.carers[0].phone, "+33 6 12 34 56 78", "kept as typed");
    assert_eq!(p.skipped.len(), 1);
}

#[test]
fn invisible_characters_are_removed_with_a_warning() {
    let f = "Forename,Surname,Class,Contact Forename,Contact Surname\n\
             Ann\u{202E}a,Lee,1A,Jo\u{200B},Lee\n";
    let p = parsed(f);
    assert_eq!(p.pupils[0].first_name, "Anna");
    assert_eq!(p.carers[0].first_name, "Jo");
    let cols: Vec<&str> = p.problems.iter().map(|x| x.column.as_str()).collect();
    assert_eq!(cols, ["Forename", "Contact Forename"]);
    assert!(p.problems[0].message.contains("invisible"));
}
