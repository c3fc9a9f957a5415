//! Roster import as schools do it: their own MIS exports, problems they can fix, the columns
//! chosen once, leavers by name, and one truth across processes.

mod columns;
mod command;
mod errors;
mod languages;
mod mis;
mod preview;

use crate::helpers::TestApp;

pub(super) fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/roster/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub(super) async fn names(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql)
        .fetch_all(&app.state.db.read)
        .await
        .unwrap()
}

pub(super) fn upload_id(page: &str) -> String {
    let marker = "action=\"/office/roster/";
    let start = page.find(marker).expect("a roster form") + marker.len();
    page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

pub(super) const BAD: &str = "Forename,Surname,Reg Group,Contact Forename,Contact Surname,Contact Email,Contact Mobile\r\n\
    Amy,Shaw,2C,Kim,Shaw,kim@example.org,07700 900001\r\n\
    \r\n\
    ,Lowe,2C,Pat,Lowe,,\r\n\
    Ben,Hart,,Jo,Hart,,\r\n\
    \"Cat\",Ives,2C,,,cy@example.org,\r\n\
    Dan,Ross,2C,Lee,Ross,lee-at-example,\r\n\
    Eve,Ruiz,2C,Max,Ruiz,,ring me\r\n\
    Amy,Shaw,2C,Kim,Shaw,kim@example.org,07700 900001\r\n\
    \"Fay\",\"Moss\",2C,\"=HYPERLINK(\"\"http://x\"\")\",Moss,,\r\n";
