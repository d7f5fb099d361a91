//! What `#[model]` declares about a struct: its name and its fields, for
//! parameter models (a struct as a set of query, header or cookie
//! parameters) and for the OpenAPI document.

use super::constraints::Constraints;

/// One field of a model.
#[derive(Debug, Clone, Copy)]
pub struct FieldInfo {
    /// The key on the wire: the `alias`, else the Rust name.
    pub name: &'static str,
    /// True for list fields: a parameter model collects repeated keys into them.
    pub is_list: bool,
    /// `title` for the schema.
    pub title: Option<&'static str>,
    /// `description` for the schema.
    pub description: Option<&'static str>,
    /// The field's checks.
    pub constraints: Constraints,
    /// `examples`, for the schema.
    pub examples: Option<fn() -> serde_json::Value>,
    /// The field type's schema.
    pub schema: fn(&mut crate::model::Components) -> serde_json::Value,
    /// True when the field has no default and is not an `Option`.
    pub required: bool,
    /// The default, as JSON, for the schema.
    pub default: Option<fn() -> serde_json::Value>,
}

/// A computed field (Pydantic's `@computed_field`): a method whose value is
/// written out with the model and documented in its output schema only.
#[derive(Debug, Clone, Copy)]
pub struct ComputedField {
    /// The key on the wire: the method's name.
    pub name: &'static str,
    /// The schema of the method's return type.
    pub schema: fn(&mut crate::model::Components) -> serde_json::Value,
}

/// The schema of a computed field's type, from its method: `#[model]`
/// passes `Type::method`, whose return type is the field's type.
pub fn computed_schema<M, R: crate::model::JsonSchema>(
    _method: fn(&M) -> R,
    components: &mut crate::model::Components,
) -> serde_json::Value {
    R::json_schema(components)
}

/// A struct declared with `#[model]`.
pub trait Model: super::Validate {
    /// The type name, as error contexts and schemas show it.
    const NAME: &'static str;
    /// The fields, in declaration order.
    const FIELDS: &'static [FieldInfo];
    /// True with `#[model(extra = "forbid")]`: unknown keys are errors.
    const FORBID_EXTRA: bool;
    /// The computed fields, in declaration order.
    const COMPUTED: &'static [ComputedField] = &[];
}
