//! Hostile roster files: refused or read, never a roster row written.

use super::{TABLES, counts};
use crate::helpers::TestApp;

#[tokio::test]
async fn hostile_roster_uploads_are_refused_or_read_without_harm() {
    let app = TestApp::spawn().await;
    let head = app.head().await;
    let files: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff, 0xfe, 0x00, 0x01, 0x80, 0x81],
        b"\0\0\0".to_vec(),
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\n\"unterminated,quote\n".into(),
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nA,B,1A,=cmd|' /C calc'!A0,X\n".into(),
        format!("pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\n{}\n", "a,".repeat(50_000)).into(),
        "pupil_first_name,pupil_last_name,class,carer_first_name,carer_last_name\nA\0,B,1A,C,D\n".into(),
        vec![b'x'; 33 * 1024 * 1024],
    ];
    for (i, f) in files.iter().enumerate() {
        let before = counts(&app).await;
        let (status, html) = app.upload_roster(&head, f).await;
        assert!(status < 500, "file {i}: {status}");
        assert!(html.contains("<!doctype html>"), "file {i}");
        let mut after = counts(&app).await;
        // A preview keeps the upload for "Import"; nothing else may change.
        let uploads = TABLES.iter().position(|t| *t == "roster_uploads").unwrap();
        after[uploads] = before[uploads];
        assert_eq!(after, before, "file {i} wrote roster rows");
    }
}
