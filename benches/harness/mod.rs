//! The benchmark harness: synthetic schools, the real binary as a child process, a load generator,
//! and one table of medians, spreads, references and ratios. Shared by `cargo bench --bench portal`
//! (through `scripts/bench`) and a smoke test in the suite, so it cannot rot.

mod client;
mod data;
mod emails;
mod fresh;
mod process;
mod run;
mod smtp;
mod trust;

use std::path::PathBuf;

pub use data::{HEAD_EMAIL, PASSWORD, Prepared, prepare};
pub use process::{Nginx, Server, load, rss_mb};
pub use run::run;

/// What to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub binary: PathBuf,
    pub smoke: bool,
    pub rounds: usize,
    pub seconds: u64,
    pub school_carers: usize,
    pub trust_carers: usize,
    pub signers: usize,
    pub import_small: usize,
    pub import_large: usize,
    pub storm: usize,
    /// Invitations in scenario 8's campaign.
    pub emails: usize,
    /// Only scenario 8 (`--emails-only`).
    pub emails_only: bool,
    /// Only scenario 2 (`--signing-only`).
    pub signing_only: bool,
    /// Scenario 9's trust: this many schools of `trust_school_carers` carers each.
    pub trust_schools: usize,
    pub trust_school_carers: usize,
    /// Only scenario 9 (`--trust-only`).
    pub trust_only: bool,
}

impl Options {
    /// The full run: a 3,000-carer school, the trust's 100,000 carers (in one school, and as 50
    /// schools of 2,000), 1,000 signers.
    pub fn full(binary: PathBuf) -> Options {
        Options {
            binary,
            smoke: false,
            rounds: 3,
            seconds: 8,
            school_carers: 3_000,
            trust_carers: 100_000,
            signers: 1_000,
            import_small: 3_000,
            import_large: 100_000,
            storm: 50,
            emails: 3_000,
            emails_only: false,
            signing_only: false,
            trust_schools: 50,
            trust_school_carers: 2_000,
            trust_only: false,
        }
    }

    /// Seconds, tiny data: proves every scenario still runs.
    pub fn smoke(binary: PathBuf) -> Options {
        Options {
            binary,
            smoke: true,
            rounds: 1,
            seconds: 1,
            school_carers: 60,
            trust_carers: 200,
            signers: 20,
            import_small: 30,
            import_large: 100,
            storm: 3,
            emails: 100,
            emails_only: false,
            signing_only: false,
            trust_schools: 3,
            trust_school_carers: 40,
            trust_only: false,
        }
    }

    /// `--binary PATH` (default `target/release/signoff`), `--smoke`, `--emails-only`,
    /// `--signing-only` and `--trust-only`.
    pub fn from_args(args: Vec<String>) -> Options {
        let mut binary = PathBuf::from("target/release/signoff");
        let (mut smoke, mut emails_only, mut signing_only, mut trust_only) =
            (false, false, false, false);
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--binary" => binary = it.next().map(PathBuf::from).unwrap_or(binary),
                "--smoke" => smoke = true,
                "--emails-only" => emails_only = true,
                "--signing-only" => signing_only = true,
                "--trust-only" => trust_only = true,
                _ => {}
            }
        }
        let mut o = if smoke {
            Options::smoke(binary)
        } else {
            Options::full(binary)
        };
        o.emails_only = emails_only;
        o.signing_only = signing_only;
        o.trust_only = trust_only;
        o
    }
}

/// One line of the results table.
#[derive(Debug, Clone)]
pub struct Row {
    pub scenario: String,
    pub samples: Vec<f64>,
    pub unit: &'static str,
    pub reference: Option<(String, f64)>,
    /// Whether the target was met, and the target in words.
    pub target: String,
    pub met: Option<bool>,
    pub errors: usize,
}

impl Row {
    pub fn median(&self) -> f64 {
        median(&self.samples)
    }
}

pub fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn spread(v: &[f64]) -> String {
    let min = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let max = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if v.len() < 2 {
        "-".into()
    } else {
        format!("{}–{}", fmt(min), fmt(max))
    }
}

fn fmt(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// The results as a Markdown table.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| scenario | median | spread | reference | ratio | target | met |\n|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let (reference, ratio) = match &r.reference {
            Some((name, value)) if *value > 0.0 => (
                format!("{name}: {} {}", fmt(*value), r.unit),
                format!("{:.2}×", r.median() / value),
            ),
            Some((name, _)) => (name.clone(), "-".into()),
            None => ("-".into(), "-".into()),
        };
        out.push_str(&format!(
            "| {} | {} {} | {} | {} | {} | {}{} | {} |\n",
            r.scenario,
            fmt(r.median()),
            r.unit,
            spread(&r.samples),
            reference,
            ratio,
            r.target,
            if r.errors > 0 {
                format!(" ({} errors)", r.errors)
            } else {
                String::new()
            },
            match r.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "-",
            }
        ));
    }
    out
}
