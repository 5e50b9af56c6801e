//! Render benchmark (not a test): the typical custom body (ten variables, one `if`, one `for` over five
//! items, linked content) rendered for each of N users on one core, the way a run renders them:
//! the user's profile read into variables, the body rendered and checked as JSON. The template is
//! compiled once, as a run compiles it once per campaign.
//!
//! `cargo bench --locked -p server --bench render` (users from `BENCH_USERS`)

use std::time::Instant;

use app::model::campaign::{BodyFormat, ContentType, What};
use liquid_core::model::{Object, Value};
use server::render::content::Content;
use server::render::liquid::Namespace;
use server::render::variables;
use server::store::outbox::Recipient;

#[path = "support/custom_body.rs"]
mod custom_body;

fn main() -> anyhow::Result<()> {
    let users: usize = std::env::var("BENCH_USERS").map_or(Ok(200_000), |v| v.parse())?;
    let recipients: Vec<Recipient> = (0..users)
        .map(|u| Recipient {
            id: i64::try_from(u).unwrap_or(i64::MAX),
            identity: Some(format!("user-{u}")),
            object_id: format!("__{u:032x}"),
            email: Some(format!("user{u}@example.com")),
            push_token: None,
            profile_data: custom_body::profile_data(u),
        })
        .collect();
    let what = What {
        format: BodyFormat::Custom,
        content_type: ContentType::Json,
        template: custom_body::CUSTOM_BODY.into(),
        ..Default::default()
    };
    let started = Instant::now();
    let content = Content::compile(1, "Bench", &what).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let compiled = started.elapsed();
    let mut answer = Object::new();
    answer.insert("source".into(), Value::scalar("ok"));
    let linked = Namespace::strict(answer);

    println!("render bench: {users} users, one core");
    for round in 1..=3 {
        let started = Instant::now();
        let mut bytes = 0usize;
        for r in &recipients {
            let variables = content.variables(variables::profile(r), linked.clone());
            let rendered = content
                .for_user(r, None, &variables, false)
                .map_err(anyhow::Error::msg)?;
            anyhow::ensure!(
                rendered.invalid_json.is_none(),
                "{:?}",
                rendered.invalid_json
            );
            bytes += rendered.body.len();
        }
        let took = started.elapsed();
        println!(
            "round {round}: {:.3} s = {:>7.0} users/s ({:.1} µs each, {} bytes per body on average)",
            took.as_secs_f64(),
            users as f64 / took.as_secs_f64(),
            took.as_secs_f64() * 1e6 / users as f64,
            bytes / users.max(1)
        );
    }
    println!("compiling the template once: {} µs", compiled.as_micros());
    Ok(())
}
