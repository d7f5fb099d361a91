//! The fast path: lax deserialization straight from the request bytes with
//! serde, in one pass, without building a `serde_json::Value`.
//!
//! `#[model]` derives serde's `Deserialize` with every field read through
//! [`deserialize`], which accepts exactly what [`Validate`] accepts (the same
//! coercion functions decide). Constraints are checked afterwards with
//! [`Validate::check`]. Any failure here is not reported: the caller falls
//! back to [`Validate`] on the parsed JSON, which finds every error.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::coerce::{parse_bool, parse_float, parse_int};
use super::validate::{int_from_f64, MapKey, Validate};

/// Reads a field with the fast path of its type. Named in the
/// `deserialize_with` attributes that `#[model]` writes.
pub fn deserialize<'de, D: Deserializer<'de>, T: FastDeserialize>(d: D) -> Result<T, D::Error> {
    T::deserialize_fast(d)
}

/// Reads a `#[model]` field: its type's fast path, the field's
/// constraints, then its validator, so that a model is complete and
/// checked once serde has built it (a model validator may rely on its
/// fields being valid). Named in the functions `#[model]` writes.
pub fn field<'de, D, T, E>(
    d: D,
    constraints: &super::Constraints,
    validator: impl FnOnce(T) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Validate,
    E: fmt::Display,
{
    let value = T::deserialize_fast(d)?;
    if !value.check(constraints) {
        return Err(fail());
    }
    validator(value).map_err(|_| fail())
}

/// The validator of a field that has none.
pub fn unvalidated<T>(value: T) -> Result<T, std::convert::Infallible> {
    Ok(value)
}

/// Runs a model validator on the fast path; its failure sends the request
/// to [`Validate`] to be reported.
pub fn after<T, E, D: de::Error>(
    value: T,
    validator: impl FnOnce(T) -> Result<T, E>,
) -> Result<T, D> {
    validator(value).map_err(|_| fail())
}

/// The fast path of a type: lax, first error only.
pub trait FastDeserialize: Sized {
    /// Deserializes `Self` the lax way.
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// A seed that deserializes `T` with its fast path.
struct Fast<T>(PhantomData<T>);

impl<'de, T: FastDeserialize> DeserializeSeed<'de> for Fast<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deserialize_fast(d)
    }
}

fn fail<E: de::Error>() -> E {
    E::custom("invalid")
}

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = i128;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i128, E> {
        Ok(v as i128)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i128, E> {
        Ok(v as i128)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i128, E> {
        int_from_f64(v).map_err(|_| fail())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<i128, E> {
        Ok(v as i128)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i128, E> {
        parse_int(v).map_err(|_| fail())
    }
}

macro_rules! fast_int {
    ($($t:ty),*) => {$(
        impl FastDeserialize for $t {
            fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let wide = d.deserialize_any(IntVisitor)?;
                <$t>::try_from(wide).map_err(|_| fail())
            }
        }
    )*};
}
fast_int!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<f64, E> {
        Ok(if v { 1.0 } else { 0.0 })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        parse_float(v).map_err(|_| fail())
    }
}

impl FastDeserialize for f64 {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor)
    }
}

impl FastDeserialize for f32 {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FloatVisitor).map(|f| f as f32)
    }
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(fail()),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.visit_i64(v.min(2) as i64)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        if v == 0.0 {
            Ok(false)
        } else if v == 1.0 {
            Ok(true)
        } else {
            Err(fail())
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        parse_bool(v).map_err(|_| fail())
    }
}

impl FastDeserialize for bool {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

impl FastDeserialize for String {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // `deserialize_any`, not `deserialize_string`: a number must fail here.
        d.deserialize_any(StringVisitor)
    }
}

impl FastDeserialize for Value {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

/// Python's `dict`: any JSON object, its keys in the order sent.
impl FastDeserialize for serde_json::Map<String, Value> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde::Deserialize::deserialize(d)
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: FastDeserialize> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::deserialize_fast(d).map(Some)
    }
}

impl<T: FastDeserialize> FastDeserialize for Option<T> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(PhantomData))
    }
}

impl<T: FastDeserialize> FastDeserialize for Box<T> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_fast(d).map(Box::new)
    }
}

struct SeqVisitor<T>(PhantomData<T>);

impl<'de, T: FastDeserialize> Visitor<'de> for SeqVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Fast::<T>(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
}

impl<T: FastDeserialize> FastDeserialize for Vec<T> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SeqVisitor(PhantomData))
    }
}

impl<T: FastDeserialize + Eq + std::hash::Hash> FastDeserialize for HashSet<T> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize_fast(d).map(|items| items.into_iter().collect())
    }
}

impl<T: FastDeserialize + Ord> FastDeserialize for BTreeSet<T> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize_fast(d).map(|items| items.into_iter().collect())
    }
}

struct MapVisitor<K, V, M>(PhantomData<(K, V, M)>);

impl<'de, K: MapKey, V: FastDeserialize, M: Default + Extend<(K, V)>> Visitor<'de>
    for MapVisitor<K, V, M>
{
    type Value = M;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
        let mut out = M::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = K::from_key(&key).map_err(|_| fail())?;
            let value = map.next_value_seed(Fast::<V>(PhantomData))?;
            out.extend([(key, value)]);
        }
        Ok(out)
    }
}

impl<K, V, S> FastDeserialize for HashMap<K, V, S>
where
    K: MapKey + Eq + Hash,
    V: FastDeserialize,
    S: std::hash::BuildHasher + Default,
{
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MapVisitor(PhantomData))
    }
}

impl<K: MapKey + Ord, V: FastDeserialize> FastDeserialize for BTreeMap<K, V> {
    fn deserialize_fast<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MapVisitor(PhantomData))
    }
}

/// Parses `bytes` with the fast path and checks constraints: `Some` only when
/// the value is entirely valid.
///
/// The bytes are checked to be UTF-8 first: serde skips the values of
/// unknown keys without looking inside their strings, and a body that is
/// not UTF-8 anywhere is a 400 for FastAPI (found by the `json` fuzzer).
pub fn from_slice<T: Validate>(bytes: &[u8]) -> Option<T> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize_fast(&mut de).ok()?;
    de.end().ok()?;
    value.check(&super::Constraints::NONE).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_accepts_what_validation_accepts() {
        assert_eq!(from_slice::<i64>(b"\"5\""), Some(5));
        assert_eq!(from_slice::<i64>(b"5.0"), Some(5));
        assert_eq!(from_slice::<f64>(b"\"50.5\""), Some(50.5));
        assert_eq!(from_slice::<bool>(b"\"yes\""), Some(true));
        assert_eq!(from_slice::<Option<i64>>(b"null"), Some(None));
        assert_eq!(from_slice::<Vec<u8>>(b"[1, \"2\"]"), Some(vec![1, 2]));
        assert_eq!(
            from_slice::<BTreeMap<i64, f64>>(b"{\"1\": 2.5, \"02\": \"3\"}"),
            Some(BTreeMap::from([(1, 2.5), (2, 3.0)]))
        );
    }

    #[test]
    fn the_fast_path_rejects_what_validation_rejects() {
        assert_eq!(from_slice::<String>(b"5"), None);
        assert_eq!(from_slice::<i64>(b"5.5"), None);
        assert_eq!(from_slice::<bool>(b"2"), None);
        assert_eq!(from_slice::<u8>(b"300"), None);
        assert_eq!(from_slice::<Vec<i64>>(b"\"abc\""), None);
        assert_eq!(from_slice::<i64>(b"1 2"), None);
    }
}
