//! `usageReport`: the provider's usage report (Art. 27, SPEC v2 §4, §8).

use chrono::{DateTime, FixedOffset};
use govshare::audit::UsageQuery;
use napi::Unknown;
use napi::bindgen_prelude::Env;
use napi_derive::napi;

use crate::args::Arg;
use crate::audit::{Target, engine_of};
use crate::dates::{self, DateInput};
use crate::error::{self, Result, guard};
use crate::wire;
use crate::workflow;

fn moment(input: Option<&DateInput>) -> Result<Option<DateTime<FixedOffset>>> {
    input.map(dates::instant).transpose()
}

/// The usage report for `provider` (Art. 27: the provider may learn how its
/// information is used): the `usage` events of its resources (the resource's
/// provider at the moment of the usage), optionally of one `resource`, within
/// `[from, until]` (both included; `null` or absent leaves an end open). Returns
/// the SPEC §8 report: `provider`, `resource`?, `from`?, `until`?, `rows`
/// (`resource`, `department`, `purpose`, `grant`, `count`, `first`, `last`),
/// `total`, `citations`, `pack`, `reported` (repeated ids, events out of order,
/// usages of resources not in the catalog, registry changes a ledger rejects:
/// never counted twice, not counted, or not applied).
/// `target` is an `Engine` or a registry (object or JSON text, with the built-in
/// pack). Throws `usage.unknown_provider`, `usage.not_provider` or
/// `usage.invalid_period`.
#[napi(
    ts_args_type = "target: Engine | Registry | RegistryDoc | string, events: Event[], provider: string, resource?: string | null, from?: DateInput | null, until?: DateInput | null",
    ts_return_type = "UsageReport"
)]
pub fn usage_report<'e>(
    env: &'e Env,
    target: Target<'_>,
    events: Arg<Vec<Unknown<'_>>>,
    provider: Arg<String>,
    resource: Option<Arg<String>>,
    from: Option<DateInput>,
    until: Option<DateInput>,
) -> Result<Unknown<'e>> {
    let engine = engine_of(target)?;
    let events = workflow::events_of(events.get("events")?)?;
    let mut query = UsageQuery::new(provider.get("provider")?);
    query.resource = resource.map(|r| r.get("resource")).transpose()?;
    query.from = moment(from.as_ref())?;
    query.until = moment(until.as_ref())?;
    let report = guard(|| query.report(&engine, &events).map_err(error::core))?;
    wire::to_js(env, &report)
}
