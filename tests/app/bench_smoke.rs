//! The benchmark in smoke mode (seconds, tiny data), so `scripts/bench` cannot rot.

#[path = "../../benches/harness/mod.rs"]
#[allow(dead_code)]
mod harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_benchmark_runs_every_scenario_in_smoke_mode() {
    let opts = harness::Options::smoke(std::path::PathBuf::from(env!("CARGO_BIN_EXE_signoff")));
    let rows = harness::run(&opts).await;
    println!("{}", harness::table(&rows));
    let table = harness::table(&rows);
    for scenario in [
        "1. signing page",
        "7. signing page p99",
        "2. signing",
        "3. dashboard",
        "3. CSV export",
        "4. roster import",
        "5. letters",
        "6. memory idle",
        "6. start-up",
        "8. 100 emails to a local SMTP server",
        "8. signing page p99 while 100 emails go out",
    ] {
        assert!(table.contains(scenario), "{scenario} missing from\n{table}");
    }
    for r in &rows {
        assert!(r.median() > 0.0, "{} measured nothing", r.scenario);
        assert_eq!(r.errors, 0, "{} had errors", r.scenario);
    }
}
