//! A load generator for `fahras serve`: N search requests, C at a time, over loopback;
//! reports errors and latency percentiles. Used by `benches/serve_load.sh`.
//!
//! ```text
//! cargo run --release --example serve_load -- http://127.0.0.1:7700 [REQUESTS] [CONCURRENCY]
//! ```
//!
//! The queries are Arabic news words and names, rare and common, phrases included; each
//! request asks for the first 10 hits with snippets, as the search page does.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const QUERIES: [&str; 16] = [
    "تونس",
    "الحكومة",
    "وزير الصحة",
    "\"رئيس الجمهورية\"",
    "الانتخابات البلدية",
    "الترجي",
    "كرة القدم",
    "الأمطار",
    "فلسطين",
    "الاتحاد العام التونسي للشغل",
    "البنك المركزي",
    "لافروف",
    "الإرهاب",
    "السياحة",
    "+الحكومة -الانتخابات",
    "title:القمح",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(base) = args.first() else {
        eprintln!("usage: serve_load URL [REQUESTS] [CONCURRENCY]");
        std::process::exit(2);
    };
    let number = |i: usize, default: usize| {
        args.get(i).map_or(default, |v| {
            v.parse()
                .unwrap_or_else(|_| panic!("`{v}` is not a number"))
        })
    };
    let (requests, concurrency) = (number(1, 1000), number(2, 8));
    let url = format!("{}/search", base.trim_end_matches('/'));
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let results: Vec<(Duration, Result<(), String>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..concurrency)
            .map(|_| {
                scope.spawn(|| {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .http_status_as_error(false)
                        .proxy(None)
                        .timeout_global(Some(Duration::from_secs(30)))
                        .build()
                        .into();
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        if n >= requests {
                            return mine;
                        }
                        let query = QUERIES[n % QUERIES.len()];
                        let sent = Instant::now();
                        let outcome = agent
                            .get(&url)
                            .query("q", query)
                            .call()
                            .map_err(|e| e.to_string())
                            .and_then(|mut response| {
                                let status = response.status().as_u16();
                                let body = response
                                    .body_mut()
                                    .read_to_string()
                                    .map_err(|e| e.to_string())?;
                                match (status, body.starts_with("{\"query\"")) {
                                    (200, true) => Ok(()),
                                    _ => Err(format!("{status}: {body}")),
                                }
                            });
                        mine.push((sent.elapsed(), outcome));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let wall = started.elapsed();
    let errors: Vec<&String> = results
        .iter()
        .filter_map(|(_, r)| r.as_ref().err())
        .collect();
    let mut latencies: Vec<Duration> = results.iter().map(|(d, _)| *d).collect();
    latencies.sort();
    let percentile = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len()) - 1;
        latencies[i].as_secs_f64() * 1e3
    };
    println!(
        "{} requests, {concurrency} concurrent, {} errors, {:.2} s, {:.0} requests/s",
        results.len(),
        errors.len(),
        wall.as_secs_f64(),
        results.len() as f64 / wall.as_secs_f64()
    );
    println!(
        "latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        percentile(0.50),
        percentile(0.90),
        percentile(0.99),
        percentile(1.0)
    );
    if let Some(first) = errors.first() {
        println!("first error: {first}");
        std::process::exit(1);
    }
}
