//! `scripts/bench`: measures the portal against the machine's own limits. See the README.

#[allow(clippy::unwrap_used, dead_code)]
mod harness;

fn main() {
    let opts = harness::Options::from_args(std::env::args().skip(1).collect());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("runtime: {e}"));
    let rows = rt.block_on(harness::run(&opts));
    println!("{}", harness::table(&rows));
}
