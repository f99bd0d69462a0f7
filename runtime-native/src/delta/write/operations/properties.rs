//! Table property changes (`set` / `unset`) and the column-mapping mode transitions cpgc makes.
//!
//! Mode transitions follow Delta: `none` → `name` is allowed on an existing table (existing
//! columns keep reading their files: their physical name becomes their current logical name,
//! see [`super::evolve`]); `none` → `id` (old files carry no field ids) and any change away
//! from `name` or `id` are refused (`reason: columnMapping`).

use std::collections::BTreeMap;

use super::super::super::actions::Metadata;
use super::super::super::schema::ColumnMappingMode;
use super::metadata::column_mapping;
use crate::error::{ErrorCode, NativeError, Result};

const MODE_KEY: &str = "delta.columnMapping.mode";

/// The configuration after `unset`, then `set`.
pub(super) fn changed_configuration(
    old: &Metadata,
    set: &BTreeMap<String, String>,
    unset: &[String],
) -> Result<BTreeMap<String, String>> {
    if let Some(mode) = set.get(MODE_KEY) {
        if !matches!(mode.as_str(), "none" | "name" | "id") {
            return Err(NativeError::invalid_argument(format!(
                "{MODE_KEY} must be none, name or id, not {mode:?}"
            ))
            .with("option", MODE_KEY));
        }
    }
    let mut configuration = old.configuration.clone();
    for key in unset {
        configuration.remove(key);
    }
    for (k, v) in set {
        configuration.insert(k.clone(), v.clone());
    }
    Ok(configuration)
}

/// Checks the mapping mode transition from `old` to `new`; true when it enables `name` mode.
pub(super) fn mapping_transition(old: &Metadata, new: &Metadata) -> Result<bool> {
    let (from, to) = (column_mapping(old), column_mapping(new));
    match (from, to) {
        _ if from == to => Ok(false),
        (ColumnMappingMode::None, ColumnMappingMode::Name) => Ok(true),
        _ => Err(NativeError::new(
            ErrorCode::DeltaOperationNotAllowed,
            format!(
                "changing {MODE_KEY} from {} to {} is not supported (only none → name on an existing table)",
                mode_name(from),
                mode_name(to)
            ),
        )
        .with("reason", "columnMapping")),
    }
}

fn mode_name(mode: ColumnMappingMode) -> &'static str {
    match mode {
        ColumnMappingMode::None => "none",
        ColumnMappingMode::Name => "name",
        ColumnMappingMode::Id => "id",
    }
}
