//! `govshare.usage_report`: the provider's usage report (Art. 27, SPEC v2 §4, §8).

use govshare::audit::UsageQuery;
use govshare::workflow::Event;
use pyo3::prelude::*;

use crate::args::Arg;
use crate::convert::{self, to_moment};
use crate::error::{self, Input};
use crate::workflow::engine_of;

/// A moment argument that may be `None`.
fn moment(
    obj: Option<&Bound<'_, PyAny>>,
    arg: &str,
) -> PyResult<Option<chrono::DateTime<chrono::FixedOffset>>> {
    obj.filter(|o| !o.is_none())
        .map(|o| to_moment(o, arg))
        .transpose()
}

/// The usage report for `provider` (Art. 27: the provider may learn how its
/// information is used): the `usage` events of its resources (the resource's
/// provider at the moment of the usage) over an event log (an iterable of SPEC §8
/// event dicts), optionally of one `resource`, within `[from_, until]` (aware
/// `datetime`s or RFC 3339 strings, both included; `None` leaves an end open).
/// Returns the SPEC §8 report as a dict: `provider`, `resource`?, `from`?,
/// `until`?, `rows` (`resource`, `department`, `purpose`, `grant`, `count`,
/// `first`, `last`), `total`, `citations`, `pack`, `reported` (repeated ids,
/// events out of order, usages of resources not in the catalog, registry changes
/// a ledger rejects: never counted twice, not counted, or not applied). `registry_or_engine` is an `Engine`, or a registry
/// (dict, JSON string or path) used with the built-in pack. Raises
/// `GovShareError` with `usage.unknown_provider`, `usage.not_provider` or
/// `usage.invalid_period`.
#[pyfunction]
#[pyo3(signature = (registry_or_engine, events, provider, *, resource = None, from_ = None, until = None))]
pub fn usage_report<'py>(
    py: Python<'py>,
    registry_or_engine: &Bound<'py, PyAny>,
    events: &Bound<'py, PyAny>,
    provider: Arg<String>,
    resource: Option<Arg<String>>,
    from_: Option<&Bound<'py, PyAny>>,
    until: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let engine = engine_of(registry_or_engine, "the usage report")?;
    let mut query = UsageQuery::new(provider.get(py, "provider")?);
    query.resource = resource.map(|r| r.get(py, "resource")).transpose()?;
    query.from = moment(from_, "from_")?;
    query.until = moment(until, "until")?;
    let events: Vec<Event> = convert::each(events, "events", |item, i| {
        convert::input(item, Input::Event, Some(i))
    })?;
    let report = py.detach(move || query.report(&engine, &events));
    let report = report.map_err(|e| error::to_py(py, &e))?;
    convert::to_py(py, &report)
}
