//! The v3 layout (a commitment to the personal fields) pinned, and erasure keeping its hash.

use super::*;

fn record() -> DeclarationRecord {
    DeclarationRecord {
        id: 4,
        school_id: 1,
        seq: 2,
        signed: Signed {
            carer_id: 9,
            document_id: 1,
            version_id: 3,
            children: r#"[{"class":"3B","id":7,"name":"Ava Jones"}]"#.into(),
            carer_name: "Sam Jones".into(),
            typed_name: "Sam Jones".into(),
            declaration_text: "I agree.".into(),
            text_sha256: "x".into(),
            signed_at: "2026-11-21T10:00:00Z".into(),
            method: "online".into(),
            ip: "192.0.2.1".into(),
            user_agent: "phone".into(),
            recorded_by: None,
            received_on: None,
            note: String::new(),
            language: "en".into(),
            shown_sha256: "x".into(),
        },
        prev_hash: GENESIS.into(),
        personal_salt: "00112233445566778899aabbccddeeff".into(),
        personal_sha256: String::new(),
    }
}

#[test]
fn a_v3_hash_survives_erasure_and_still_catches_changes() {
    let mut rec = record();
    rec.personal_sha256 = rec.personal_commitment(&rec.personal_salt.clone());
    // The layouts every v3 row is made with: they must never change.
    assert_eq!(
        rec.personal_sha256,
        sha256_hex(
            "signoff-personal-v1\n00112233445566778899aabbccddeeff\n{\"carer_name\":\"Sam Jones\",\"typed_name\":\"Sam Jones\",\"children\":\"[{\\\"class\\\":\\\"3B\\\",\\\"id\\\":7,\\\"name\\\":\\\"Ava Jones\\\"}]\",\"ip\":\"192.0.2.1\",\"user_agent\":\"phone\",\"note\":\"\"}"
        )
    );
    let h = rec.row_hash();
    assert_eq!(
        h,
        sha256_hex(format!(
            "signoff-declaration-v3\n{{\"id\":4,\"school_id\":1,\"seq\":2,\"carer_id\":9,\"document_id\":1,\"version_id\":3,\"declaration_text\":\"I agree.\",\"text_sha256\":\"x\",\"signed_at\":\"2026-11-21T10:00:00Z\",\"method\":\"online\",\"recorded_by\":null,\"received_on\":null,\"language\":\"en\",\"shown_sha256\":\"x\",\"personal_sha256\":\"{}\",\"prev_hash\":\"{GENESIS}\"}}",
            rec.personal_sha256
        ))
    );

    // Erased: the personal fields and the salt go, the hash stays.
    let mut erased = rec.clone();
    erased.redact();
    assert_eq!(erased.carer_name, "");
    assert_eq!(erased.children, "[]");
    assert_eq!(erased.personal_salt, "");
    assert_eq!(erased.row_hash(), h);

    // A kept field changed still changes the hash; a personal field changed no longer
    // matches the commitment.
    let mut other = erased.clone();
    other.signed.signed_at = "2026-11-22T10:00:00Z".into();
    assert_ne!(other.row_hash(), h);
    let mut other = rec.clone();
    other.signed.typed_name = "Someone Else".into();
    assert_ne!(
        other.personal_commitment(&rec.personal_salt),
        rec.personal_sha256
    );
    // A fresh salt each time.
    let (mut a, mut b) = (record(), record());
    a.commit_personal();
    b.commit_personal();
    assert_eq!(a.personal_salt.len(), 32);
    assert_ne!(a.personal_sha256, b.personal_sha256);
}
