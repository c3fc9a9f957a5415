//! Behind a reverse proxy: Debian's nginx in front, rewriting `Host` as it does by default, and
//! staff signing in and sending forms through it; HSTS when the public address is https.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::helpers::{HEAD_EMAIL, HEAD_PASSWORD, TestApp, hidden};

/// A running nginx and the folder its configuration lives in (kept until it stops).
struct Nginx {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx on `port`, passing everything to `upstream` with its default `Host` (the upstream's).
async fn nginx(port: u16, upstream: &str) -> Nginx {
    let bin = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("nginx must be installed (apt-get install nginx-light; scripts/test does this)");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().display().to_string();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let conf = format!(
        "daemon off; worker_processes 1; pid {root}/nginx.pid; error_log {root}/logs/error.log;\n\
         events {{ worker_connections 64; }}\n\
         http {{ access_log off; client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp;\n\
           fastcgi_temp_path {root}/tmp; uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;\n\
           server {{ listen 127.0.0.1:{port};\n\
             location / {{ proxy_pass {upstream}; proxy_set_header X-Forwarded-For $remote_addr; }} }} }}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    let child = Command::new(bin)
        .args(["-c", &format!("{root}/nginx.conf"), "-p", &root])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Nginx { child, _dir: dir }
}

#[tokio::test]
async fn staff_sign_in_and_send_forms_through_nginx() {
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let app = TestApp::spawn_with(|c| {
        c.public_url = Some(public.clone());
        c.behind_proxy = true;
    })
    .await;
    app.head().await;
    let _proxy = nginx(port, &app.url("")).await;

    let c = crate::helpers::browser();
    let page = c
        .get(format!("{public}/staff/sign-in"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(format!("{public}/staff/sign-in"))
        .header("origin", &public)
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("email", HEAD_EMAIL),
            ("password", HEAD_PASSWORD),
            ("next", "/office/roster"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    assert_eq!(res.headers()["location"], "/office/roster");
    // A form that changes something, through the proxy.
    let page = c
        .get(format!("{public}/head/settings"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let res = c
        .post(format!("{public}/head/settings"))
        .header("origin", &public)
        .form(&[
            ("csrf", hidden(&page, "csrf").as_str()),
            ("name", "Oakfield Primary School"),
            ("address", "1 School Lane\nOakfield"),
            ("cover_rule", "one"),
            ("letter_text", "Please read and sign our code of conduct."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        303,
        "{}",
        res.text().await.unwrap_or_default()
    );
    // Another site's form is still refused.
    let res = c
        .post(format!("{public}/head/settings"))
        .header("origin", "http://evil.example")
        .form(&[("csrf", hidden(&page, "csrf").as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn an_https_portal_tells_browsers_to_keep_to_https() {
    let app = TestApp::spawn_with(|c| {
        c.public_url = Some("https://signoff.school.example".into());
        c.insecure_cookies = true;
    })
    .await;
    let res = app.get("/").await;
    assert_eq!(
        res.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    let plain = TestApp::spawn().await;
    assert!(
        plain
            .get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}
