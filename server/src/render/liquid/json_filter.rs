//! The `json` filter: writes a value as a JSON literal (a string quoted and escaped, a number as a
//! number, an object or array as JSON, nil as `null`), so `{"name": {{ Profile.Name | json }}}` is valid
//! JSON whatever the name holds.

use liquid_core::model::{ScalarCow, Value, ValueView};
use liquid_core::{Display_filter, Filter, FilterReflection, ParseFilter, Result, Runtime};

#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "json",
    description = "Writes the value as a JSON literal (quoted and escaped).",
    parsed(JsonFilter)
)]
pub struct Json;

#[derive(Debug, Default, Display_filter)]
#[name = "json"]
struct JsonFilter;

impl Filter for JsonFilter {
    fn evaluate(&self, input: &dyn ValueView, _runtime: &dyn Runtime) -> Result<Value> {
        let literal = serde_json::to_string(&to_json(input))
            .map_err(|e| liquid_core::Error::with_msg(format!("json: {e}")))?;
        Ok(Value::scalar(literal))
    }
}

/// `value` as JSON. Dates and date-times become their text, as Liquid renders them.
pub fn to_json(value: &dyn ValueView) -> serde_json::Value {
    use serde_json::Value as J;
    if value.is_nil() || value.is_state() {
        return J::Null;
    }
    if let Some(scalar) = value.as_scalar() {
        return scalar_to_json(&scalar);
    }
    if let Some(array) = value.as_array() {
        return J::Array(array.values().map(to_json).collect());
    }
    if let Some(object) = value.as_object() {
        return J::Object(
            object
                .iter()
                .map(|(k, v)| (k.to_string(), to_json(v)))
                .collect(),
        );
    }
    J::String(value.to_kstr().as_str().to_owned())
}

fn scalar_to_json(scalar: &ScalarCow<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    // By its type, not its text: the string "123" stays a string.
    match scalar.type_name() {
        "boolean" => scalar.to_bool().map_or(J::Null, J::Bool),
        "whole number" => scalar.to_integer().map_or(J::Null, J::from),
        "fractional number" => scalar
            .to_float()
            .and_then(serde_json::Number::from_f64)
            .map_or(J::Null, J::Number),
        _ => J::String(scalar.to_kstr().as_str().to_owned()),
    }
}
