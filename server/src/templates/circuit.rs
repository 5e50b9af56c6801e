//! The circuit of a template's destination host, for the template and campaign pages, and closing it
//! by hand (the breaker itself is `crate::breaker`).

use app::model::TemplateId;
use app::model::circuit::{CircuitOut, OpenCircuitOut};

use crate::breaker::{Breakers, host_of};
use crate::error::{EngineError, EngineResult};
use crate::store::{Db, templates as table};

/// The circuit of template `id`'s host.
pub async fn circuit(db: &Db, breakers: &Breakers, id: TemplateId) -> EngineResult<CircuitOut> {
    let host = host(db, id).await?;
    Ok(of_host(breakers, host))
}

/// Closes the circuit of template `id`'s host: its deliveries go again at once.
pub async fn close(db: &Db, breakers: &Breakers, id: TemplateId) -> EngineResult<CircuitOut> {
    let host = host(db, id).await?;
    if breakers.close(&host) {
        tracing::info!(host, template = id.0, "circuit closed by hand");
    }
    Ok(of_host(breakers, host))
}

/// The circuit of `host` as shown.
pub fn of_host(breakers: &Breakers, host: String) -> CircuitOut {
    let open = breakers.open_circuit(&host).map(|open| OpenCircuitOut {
        since: open.since,
        probe_at: open.probe_at,
        failures: open.failures,
    });
    CircuitOut {
        host,
        failures_to_open: breakers.failures_to_open(),
        open,
    }
}

async fn host(db: &Db, id: TemplateId) -> EngineResult<String> {
    let row = table::get(db, id.0)
        .await?
        .ok_or_else(|| EngineError::not_found(format!("There is no webhook template {id}.")))?;
    Ok(host_of(&row.url).unwrap_or_default())
}
