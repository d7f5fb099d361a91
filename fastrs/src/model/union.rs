//! Unions of models: an enum whose variants each hold one `#[model]`
//! struct, as Pydantic's `Union[Cat, Dog]`.
//!
//! With a discriminator (`#[model(discriminator = "pet_type")]`, serde's
//! internally tagged shape) the tag picks the variant: its errors are
//! Pydantic's `union_tag_not_found` and `union_tag_invalid`, and errors
//! inside the variant are reported under the tag (`["body", "pet", "cat",
//! "meows"]`). The variant structs do not declare the tag: it is written
//! first on the way out and documented as a `const` property of each
//! variant's schema, as Pydantic documents its `Literal` field. Without a
//! discriminator every variant is tried and, of those that validate,
//! the one with the most fields set wins, the first on a tie (Pydantic's
//! smart mode, without its preference for a strict-mode match: fastrs
//! validates in lax mode only); when none does, every variant's errors are reported
//! under its model name.
//!
//! `#[model]` writes the enum's impls; the work is here.

use serde_json::{json, Map, Value};

use super::{Components, ErrorKind, FastDeserialize, Model, ValidateCx, ValidationErrors};

/// Which variant of a tagged union the tag names, or `None`
/// after recording Pydantic's error (`model_attributes_type` for a value
/// that is not an object, `union_tag_not_found`, `union_tag_invalid`).
pub fn tag_index(
    value: &Value,
    discriminator: &'static str,
    tags: &'static [&'static str],
    cx: &mut ValidateCx<'_>,
) -> Option<usize> {
    let Value::Object(object) = value else {
        cx.error(ErrorKind::ModelAttributesType, value);
        return None;
    };
    let Some(tag) = object.get(discriminator) else {
        cx.error(
            ErrorKind::Other {
                kind: "union_tag_not_found".into(),
                msg: format!("Unable to extract tag using discriminator '{discriminator}'").into(),
                ctx: Some(json!({"discriminator": format!("'{discriminator}'")})),
            },
            value,
        );
        return None;
    };
    // Pydantic shows the tag as Python's `str()` of it.
    let text = match tag {
        Value::String(text) => text.clone(),
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        other => other.to_string(),
    };
    if let Some(index) = tags.iter().position(|t| *t == text) {
        return Some(index);
    }
    let expected = tags
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ");
    cx.error(
        ErrorKind::Other {
            kind: "union_tag_invalid".into(),
            msg: format!(
                "Input tag '{text}' found using '{discriminator}' does not match any of the expected tags: {expected}"
            )
            .into(),
            ctx: Some(json!({
                "discriminator": format!("'{discriminator}'"),
                "tag": text,
                "expected_tags": expected,
            })),
        },
        value,
    );
    None
}

/// `value` without its tag, for a variant that refuses unknown keys.
fn without_tag(value: &Value, discriminator: &str) -> Value {
    let mut value = value.clone();
    if let Value::Object(object) = &mut value {
        object.shift_remove(discriminator);
    }
    value
}

/// Validates the variant `M` that the tag named, under the tag's step.
pub fn validate_variant<M: Model>(
    value: &Value,
    discriminator: &'static str,
    tag: &'static str,
    cx: &mut ValidateCx<'_>,
) -> Option<M> {
    cx.at(tag, |cx| {
        if M::FORBID_EXTRA {
            M::validate(
                &without_tag(value, discriminator),
                &super::Constraints::NONE,
                cx,
            )
        } else {
            M::validate(value, &super::Constraints::NONE, cx)
        }
    })
}

/// The fast path of a tagged union: which variant, from the parsed object.
pub fn fast_tag_index(value: &Value, discriminator: &str, tags: &[&str]) -> Option<usize> {
    let tag = value.get(discriminator)?.as_str()?;
    tags.iter().position(|t| *t == tag)
}

/// The fast path of one variant, from the parsed object.
pub fn fast_variant<M: Model, E: serde::de::Error>(
    mut value: Value,
    discriminator: &str,
) -> Result<M, E> {
    if M::FORBID_EXTRA {
        if let Value::Object(object) = &mut value {
            object.shift_remove(discriminator);
        }
    }
    M::deserialize_fast(value).map_err(E::custom)
}

/// Tries one variant of an untagged union without recording its errors:
/// `Err` holds them, for when no variant fits.
pub fn attempt<M: Model>(value: &Value, cx: &mut ValidateCx<'_>) -> Result<M, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let out = {
        let mut scratch = cx.scratch(M::NAME, &mut errors);
        M::validate(value, &super::Constraints::NONE, &mut scratch)
    };
    match out {
        Some(model) if errors.is_empty() => Ok(model),
        _ => Err(errors),
    }
}

/// How many of `M`'s fields `value` sets: an untagged union takes the
/// variant that fits with the most fields set, the first on a tie (the
/// rule of Pydantic's smart mode among variants that validate).
pub fn fields_set<M: Model>(value: &Value) -> usize {
    match value {
        Value::Object(object) => M::FIELDS
            .iter()
            .filter(|field| object.contains_key(field.name))
            .count(),
        _ => 0,
    }
}

/// The fast path of an untagged union's variant: `Some` when it fits.
pub fn fast_attempt<M: FastDeserialize>(value: &Value) -> Option<M> {
    M::deserialize_fast(value).ok()
}

/// One variant of a union, for the schema.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    /// The tag value (tagged unions) or the model name.
    pub tag: &'static str,
    /// The variant model's schema.
    pub schema: fn(&mut Components) -> Value,
}

/// The schema of a tagged union: `oneOf` the variants, with the
/// discriminator and its mapping, each variant's schema given the tag as a
/// required `const` property (first, as a Pydantic `Literal` field is).
pub fn tagged_schema(
    discriminator: &'static str,
    variants: &[Variant],
    components: &mut Components,
) -> Value {
    let mut refs = Vec::new();
    let mut mapping = Map::new();
    for variant in variants {
        let reference = (variant.schema)(components);
        if let Some(name) = reference["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
        {
            components.edit(name, |schema| add_tag(schema, discriminator, variant.tag));
        }
        mapping.insert(variant.tag.to_owned(), reference["$ref"].clone());
        refs.push(reference);
    }
    json!({
        "oneOf": refs,
        "discriminator": {"propertyName": discriminator, "mapping": mapping},
    })
}

fn add_tag(schema: &mut Value, discriminator: &str, tag: &str) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    let properties = object
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(properties) = properties {
        if properties.contains_key(discriminator) {
            return;
        }
        let mut with_tag = Map::new();
        with_tag.insert(
            discriminator.to_owned(),
            json!({"type": "string", "const": tag, "title": super::title_of(discriminator)}),
        );
        with_tag.extend(std::mem::take(properties));
        *properties = with_tag;
    }
    let required = object
        .entry("required")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(required) = required {
        required.insert(0, json!(discriminator));
    }
}

/// The schema of an untagged union: `anyOf` the variants.
pub fn untagged_schema(variants: &[Variant], components: &mut Components) -> Value {
    let refs: Vec<Value> = variants.iter().map(|v| (v.schema)(components)).collect();
    json!({ "anyOf": refs })
}

/// Records the errors of every variant of an untagged union that fit none.
pub fn no_variant_fits(all: Vec<ValidationErrors>, cx: &mut ValidateCx<'_>) {
    for errors in all {
        cx.extend(errors);
    }
}
