//! Processes: the portal binary, nginx as a reference, and the load generators (wrk or our own).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The portal binary serving a database.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub port: u16,
    pub started_in: Duration,
}

impl Server {
    pub async fn start(binary: &Path, db: &Path) -> Server {
        Server::start_with(binary, db, free_port(), &[]).await
    }

    /// Starts the binary on `port`, with more arguments after the database and address.
    pub async fn start_with(binary: &Path, db: &Path, port: u16, extra: &[String]) -> Server {
        let t = Instant::now();
        let child = Command::new(binary)
            .args([
                "--database",
                db.to_str().unwrap(),
                "--bind",
                &format!("127.0.0.1:{port}"),
            ])
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "starting {}: {e} (run `cargo build --release` first)",
                    binary.display()
                )
            });
        let c = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        loop {
            if let Ok(r) = c.get(format!("{base}/")).send().await
                && r.status() == 200
            {
                break;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "server did not start"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Server {
            child,
            base,
            port,
            started_in: t.elapsed(),
        }
    }

    /// Resident memory in MB, from /proc.
    pub fn rss_mb(&self) -> f64 {
        rss_mb(self.child.id())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

pub fn rss_mb(pid: u32) -> f64 {
    status_mb(pid, "VmRSS:")
}

/// The most resident memory the process has had since it started (the kernel's high-water mark).
pub fn peak_rss_mb(pid: u32) -> f64 {
    status_mb(pid, "VmHWM:")
}

fn status_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .unwrap_or("0")
                    .parse::<f64>()
                    .unwrap_or(0.0)
            })
        })
        .unwrap_or(0.0)
        / 1024.0
}

pub(super) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx serving one file at one path, as the reference for the signing page.
pub struct Nginx {
    child: Child,
    pub url: String,
}

impl Nginx {
    pub async fn start(dir: &Path, path: &str, body: &[u8]) -> Option<Nginx> {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let root = dir.join("nginx");
        std::fs::create_dir_all(root.join("logs")).unwrap();
        std::fs::write(root.join("page.html"), body).unwrap();
        let port = free_port();
        let conf = format!(
            "worker_processes auto; daemon off; pid {root}/nginx.pid; error_log {root}/logs/error.log;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;\n\
               uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;\n\
               server {{ listen 127.0.0.1:{port}; location = {path} {{ default_type text/html; alias {root}/page.html; }} }} }}\n",
            root = root.display()
        );
        std::fs::write(root.join("nginx.conf"), conf).unwrap();
        let child = Command::new(nginx)
            .args([
                "-c",
                root.join("nginx.conf").to_str().unwrap(),
                "-p",
                root.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let url = format!("http://127.0.0.1:{port}{path}");
        for _ in 0..500 {
            if reqwest::get(&url).await.is_ok_and(|r| r.status() == 200) {
                return Some(Nginx { child, url });
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        None
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-QUIT", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Requests per second and p99 latency (ms) of GETs to `url` from 64 connections.
pub async fn load(url: &str, seconds: u64, connections: usize, smoke: bool) -> (f64, f64, usize) {
    let l = load_latency(url, seconds, connections, smoke).await;
    (l.rps, l.p99, l.errors)
}

/// What one load run measured: requests per second, p50 and p99 latency in ms, and errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct Load {
    pub rps: f64,
    pub p50: f64,
    pub p99: f64,
    pub errors: usize,
}

/// As [`load`], with the median latency too.
pub async fn load_latency(url: &str, seconds: u64, connections: usize, smoke: bool) -> Load {
    let wrk = Path::new("/usr/bin/wrk");
    if !smoke && wrk.exists() {
        let out = Command::new(wrk)
            .args([
                "-t2",
                &format!("-c{connections}"),
                &format!("-d{seconds}s"),
                "--latency",
                url,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let rps = text
            .lines()
            .find(|l| l.starts_with("Requests/sec:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0.0);
        let percentile = |p: &str| {
            text.lines()
                .find(|l| l.trim_start().starts_with(p))
                .and_then(|l| parse_wrk_time(l.split_whitespace().nth(1)?))
                .unwrap_or(0.0)
        };
        let (p50, p99) = (percentile("50%"), percentile("99%"));
        let errors = text
            .lines()
            .filter(|l| l.contains("Non-2xx") || l.contains("Socket errors"))
            .map(|l| {
                l.split(|c: char| !c.is_ascii_digit())
                    .filter_map(|n| n.parse::<usize>().ok())
                    .sum::<usize>()
            })
            .sum();
        return Load {
            rps,
            p50,
            p99,
            errors,
        };
    }
    builtin_load(url, seconds, connections.min(16)).await
}

fn parse_wrk_time(s: &str) -> Option<f64> {
    if let Some(v) = s.strip_suffix("us") {
        v.parse::<f64>().ok().map(|v| v / 1000.0)
    } else if let Some(v) = s.strip_suffix("ms") {
        v.parse().ok()
    } else {
        s.strip_suffix('s')
            .and_then(|v| v.parse::<f64>().ok())
            .map(|v| v * 1000.0)
    }
}

/// A small closed-loop load generator, for when wrk is not installed (the smoke run).
async fn builtin_load(url: &str, seconds: u64, connections: usize) -> Load {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let url = url.to_string();
        tasks.spawn(async move {
            let c = reqwest::Client::new();
            let (mut lat, mut errors) = (Vec::new(), 0);
            while Instant::now() < deadline {
                let t = Instant::now();
                match c.get(&url).send().await {
                    Ok(r) if r.status() == 200 => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    _ => errors += 1,
                }
            }
            (lat, errors)
        });
    }
    let (mut all, mut errors) = (Vec::new(), 0);
    while let Some(Ok((lat, e))) = tasks.join_next().await {
        all.extend(lat);
        errors += e;
    }
    all.sort_by(|a, b| a.total_cmp(b));
    let at = |p: usize| {
        all.get(all.len().saturating_sub(1) * p / 100)
            .copied()
            .unwrap_or(0.0)
    };
    Load {
        rps: all.len() as f64 / seconds as f64,
        p50: at(50),
        p99: at(99),
        errors,
    }
}
