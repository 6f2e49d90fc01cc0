//! How documents become JSON: every document starts with its [`Header`] (`format`, `rmspec`),
//! and numbers that JSON cannot hold have one documented form:
//!
//! | value | JSON |
//! |---|---|
//! | +∞ | the string `"Infinity"` |
//! | −∞ | the string `"-Infinity"` |
//! | NaN (no value: the standard error of one trial, a p-value from too few matrices) | `null` |
//!
//! `"Infinity"` and `"-Infinity"` are what JavaScript's `Number()`, Python's `float()` and Rust's
//! `str::parse::<f64>` read back as ±∞. The rule is applied once, by a serializer adapter that
//! wraps serde_json's ([`to_json`], [`to_json_compact`]), so no document type needs to know it.

use crate::error::{Error, Result};
use crate::provenance::{Format, Header};
use serde::ser::{self, Serialize, Serializer};

/// The JSON form of +∞.
pub const POSITIVE_INFINITY: &str = "Infinity";
/// The JSON form of −∞.
pub const NEGATIVE_INFINITY: &str = "-Infinity";

/// A document: its header, then the body's keys.
#[derive(Debug, serde::Serialize)]
pub struct Document<'a, T: Serialize> {
    #[serde(flatten)]
    header: Header,
    #[serde(flatten)]
    body: &'a T,
}

impl<'a, T: Serialize> Document<'a, T> {
    /// `body` as a document of `format`, produced by this build.
    pub fn new(format: &Format, body: &'a T) -> Self {
        Document { header: Header::new(format), body }
    }

    /// Pretty JSON ([`to_json`]).
    ///
    /// # Errors
    /// As [`to_json`].
    pub fn to_json(&self) -> Result<String> {
        to_json(self)
    }
}

/// Pretty JSON (two-space indent) with a trailing newline, non-finite numbers as in the
/// [module table](self).
///
/// # Errors
/// Serialisation failure (not expected for rmspec's own types).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::pretty(&mut bytes);
    value.serialize(NonFinite(&mut serializer)).map_err(failed)?;
    finish(bytes)
}

/// Compact JSON (one line) with a trailing newline, non-finite numbers as in the
/// [module table](self).
///
/// # Errors
/// Serialisation failure (not expected for rmspec's own types).
pub fn to_json_compact<T: Serialize + ?Sized>(value: &T) -> Result<String> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::new(&mut bytes);
    value.serialize(NonFinite(&mut serializer)).map_err(failed)?;
    finish(bytes)
}

fn failed(e: serde_json::Error) -> Error {
    Error::InvalidInput(format!("JSON serialisation failed: {e}"))
}

fn finish(bytes: Vec<u8>) -> Result<String> {
    let mut text = String::from_utf8(bytes).map_err(|e| Error::InvalidInput(format!("JSON is not UTF-8: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// A serializer that writes ±∞ as strings and NaN as `null`, and passes everything else to the
/// serializer it wraps (nested values are wrapped again, so the rule holds at every depth).
struct NonFinite<S>(S);

/// A value whose serialisation goes through [`NonFinite`].
struct Wrapped<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Wrapped<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize(NonFinite(serializer))
    }
}

/// Forwards scalar methods unchanged.
macro_rules! forward {
    ($($method:ident($type:ty)),* $(,)?) => {
        $(fn $method(self, v: $type) -> std::result::Result<S::Ok, S::Error> {
            self.0.$method(v)
        })*
    };
}

impl<S: Serializer> Serializer for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = NonFinite<S::SerializeSeq>;
    type SerializeTuple = NonFinite<S::SerializeTuple>;
    type SerializeTupleStruct = NonFinite<S::SerializeTupleStruct>;
    type SerializeTupleVariant = NonFinite<S::SerializeTupleVariant>;
    type SerializeMap = NonFinite<S::SerializeMap>;
    type SerializeStruct = NonFinite<S::SerializeStruct>;
    type SerializeStructVariant = NonFinite<S::SerializeStructVariant>;

    forward!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
    );

    fn serialize_f32(self, v: f32) -> std::result::Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.0.serialize_f32(v)
        } else {
            self.serialize_f64(f64::from(v))
        }
    }

    fn serialize_f64(self, v: f64) -> std::result::Result<S::Ok, S::Error> {
        if v.is_finite() {
            self.0.serialize_f64(v)
        } else if v.is_nan() {
            self.0.serialize_unit()
        } else {
            self.0.serialize_str(if v > 0.0 { POSITIVE_INFINITY } else { NEGATIVE_INFINITY })
        }
    }

    fn serialize_none(self) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_none()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_some(&Wrapped(value))
    }

    fn serialize_unit(self) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_unit()
    }

    fn serialize_unit_struct(self, name: &'static str) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_unit_struct(name)
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Wrapped(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> std::result::Result<S::Ok, S::Error> {
        self.0.serialize_newtype_variant(name, index, variant, &Wrapped(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(NonFinite)
    }

    fn serialize_tuple(self, len: usize) -> std::result::Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(NonFinite)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(NonFinite)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeTupleVariant, S::Error> {
        self.0.serialize_tuple_variant(name, index, variant, len).map(NonFinite)
    }

    fn serialize_map(self, len: Option<usize>) -> std::result::Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(NonFinite)
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> std::result::Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(NonFinite)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> std::result::Result<Self::SerializeStructVariant, S::Error> {
        self.0.serialize_struct_variant(name, index, variant, len).map(NonFinite)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// The compound serializers: each element, field, key and value is wrapped.
macro_rules! compound {
    ($trait:ident, $method:ident) => {
        impl<S: ser::$trait> ser::$trait for NonFinite<S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> std::result::Result<(), S::Error> {
                self.0.$method(&Wrapped(value))
            }
            fn end(self) -> std::result::Result<S::Ok, S::Error> {
                self.0.end()
            }
        }
    };
}

compound!(SerializeSeq, serialize_element);
compound!(SerializeTuple, serialize_element);
compound!(SerializeTupleStruct, serialize_field);
compound!(SerializeTupleVariant, serialize_field);

impl<S: ser::SerializeMap> ser::SerializeMap for NonFinite<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> std::result::Result<(), S::Error> {
        self.0.serialize_key(&Wrapped(key))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> std::result::Result<(), S::Error> {
        self.0.serialize_value(&Wrapped(value))
    }
    fn end(self) -> std::result::Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// Struct-like compound serializers: each field is wrapped.
macro_rules! fields {
    ($trait:ident) => {
        impl<S: ser::$trait> ser::$trait for NonFinite<S> {
            type Ok = S::Ok;
            type Error = S::Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> std::result::Result<(), S::Error> {
                self.0.serialize_field(key, &Wrapped(value))
            }
            fn skip_field(&mut self, key: &'static str) -> std::result::Result<(), S::Error> {
                self.0.skip_field(key)
            }
            fn end(self) -> std::result::Result<S::Ok, S::Error> {
                self.0.end()
            }
        }
    };
}

fields!(SerializeStruct);
fields!(SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Inner {
        values: Vec<f64>,
        maybe: Option<f64>,
    }

    #[derive(serde::Serialize)]
    struct Outer {
        x: f64,
        #[serde(flatten)]
        inner: Inner,
        pair: (f64, f32),
    }

    #[test]
    fn non_finite_numbers_have_one_form_at_every_depth() {
        let value = Outer {
            x: f64::INFINITY,
            inner: Inner { values: vec![1.5, f64::NEG_INFINITY, f64::NAN], maybe: Some(f64::INFINITY) },
            pair: (0.1, f32::NEG_INFINITY),
        };
        assert_eq!(
            to_json_compact(&value).unwrap(),
            "{\"x\":\"Infinity\",\"values\":[1.5,\"-Infinity\",null],\"maybe\":\"Infinity\",\"pair\":[0.1,\"-Infinity\"]}\n"
        );
        // The forms read back as the values they stand for.
        assert_eq!(POSITIVE_INFINITY.parse::<f64>().unwrap(), f64::INFINITY);
        assert_eq!(NEGATIVE_INFINITY.parse::<f64>().unwrap(), f64::NEG_INFINITY);
    }

    #[test]
    fn pretty_json_matches_serde_json_for_finite_values() {
        let value = Inner { values: vec![0.1, 2.0, -3e-300], maybe: None };
        let mut expected = serde_json::to_string_pretty(&value).unwrap();
        expected.push('\n');
        assert_eq!(to_json(&value).unwrap(), expected);
    }

    #[test]
    fn documents_start_with_their_header() {
        const TEST: Format = Format::new("rmspec-test", 1);
        let text = Document::new(&TEST, &Inner { values: vec![], maybe: None }).to_json().unwrap();
        let keys: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("  \"")?.split('"').next()).collect();
        assert_eq!(keys, ["format", "rmspec", "values", "maybe"]);
    }
}
