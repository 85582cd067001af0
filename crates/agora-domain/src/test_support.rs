//! Test-only serde harness: a tiny value tree with a compact JSON renderer,
//! so serialization shapes can be checked without extra dependencies.

use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};

/// A serialized value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Str(String),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
}

/// Error type for the harness.
#[derive(Debug)]
pub struct TestError(String);

impl fmt::Display for TestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TestError {}

impl ser::Error for TestError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TestError(msg.to_string())
    }
}

impl de::Error for TestError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TestError(msg.to_string())
    }
}

/// Serializes `value` into a [`Value`] tree.
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> Value {
    value.serialize(ValueSerializer).expect("serializable")
}

/// Serializes `value` into compact JSON (keys in declaration order).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    render(&to_value(value), &mut out);
    out
}

/// Deserializes a `T` from a [`Value`] tree.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, TestError> {
    T::deserialize(value)
}

fn render(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Str(s) => render_str(s, out),
        Value::Seq(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render(item, out);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render_str(k, out);
                out.push(':');
                render(v, out);
            }
            out.push('}');
        }
    }
}

fn render_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
}

struct ValueSerializer;

type R = Result<Value, TestError>;

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = TestError;
    type SerializeSeq = SeqSer;
    type SerializeTuple = SeqSer;
    type SerializeTupleStruct = SeqSer;
    type SerializeTupleVariant = VariantSeqSer;
    type SerializeMap = MapSer;
    type SerializeStruct = MapSer;
    type SerializeStructVariant = VariantMapSer;

    fn serialize_bool(self, v: bool) -> R {
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u8(self, v: u8) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> R {
        Ok(Value::Int(v.into()))
    }
    fn serialize_f32(self, _: f32) -> R {
        Err(ser::Error::custom("floats are not allowed"))
    }
    fn serialize_f64(self, _: f64) -> R {
        Err(ser::Error::custom("floats are not allowed"))
    }
    fn serialize_char(self, v: char) -> R {
        Ok(Value::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> R {
        Ok(Value::Str(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> R {
        Ok(Value::Seq(v.iter().map(|b| Value::Int((*b).into())).collect()))
    }
    fn serialize_none(self) -> R {
        Ok(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(Value::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R {
        Ok(Value::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R {
        Ok(Value::Map(vec![(variant.to_owned(), to_value(value))]))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<SeqSer, TestError> {
        Ok(SeqSer(Vec::new()))
    }
    fn serialize_tuple(self, _: usize) -> Result<SeqSer, TestError> {
        Ok(SeqSer(Vec::new()))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<SeqSer, TestError> {
        Ok(SeqSer(Vec::new()))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<VariantSeqSer, TestError> {
        Ok(VariantSeqSer(variant, Vec::new()))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<MapSer, TestError> {
        Ok(MapSer(Vec::new(), None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<MapSer, TestError> {
        Ok(MapSer(Vec::new(), None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<VariantMapSer, TestError> {
        Ok(VariantMapSer(variant, Vec::new()))
    }
}

struct SeqSer(Vec<Value>);

impl ser::SerializeSeq for SeqSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TestError> {
        self.0.push(to_value(value));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Value::Seq(self.0))
    }
}

impl ser::SerializeTuple for SeqSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TestError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TestError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R {
        ser::SerializeSeq::end(self)
    }
}

struct VariantSeqSer(&'static str, Vec<Value>);

impl ser::SerializeTupleVariant for VariantSeqSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TestError> {
        self.1.push(to_value(value));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Value::Map(vec![(self.0.to_owned(), Value::Seq(self.1))]))
    }
}

struct MapSer(Vec<(String, Value)>, Option<String>);

impl ser::SerializeMap for MapSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TestError> {
        match to_value(key) {
            Value::Str(s) => {
                self.1 = Some(s);
                Ok(())
            }
            Value::Int(i) => {
                self.1 = Some(i.to_string());
                Ok(())
            }
            other => Err(ser::Error::custom(format!("unsupported key {other:?}"))),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TestError> {
        let key = self.1.take().ok_or_else(|| <TestError as ser::Error>::custom("value without key"))?;
        self.0.push((key, to_value(value)));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Value::Map(self.0))
    }
}

impl ser::SerializeStruct for MapSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), TestError> {
        self.0.push((key.to_owned(), to_value(value)));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Value::Map(self.0))
    }
}

struct VariantMapSer(&'static str, Vec<(String, Value)>);

impl ser::SerializeStructVariant for VariantMapSer {
    type Ok = Value;
    type Error = TestError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), TestError> {
        self.1.push((key.to_owned(), to_value(value)));
        Ok(())
    }
    fn end(self) -> R {
        Ok(Value::Map(vec![(self.0.to_owned(), Value::Map(self.1))]))
    }
}

impl<'de> IntoDeserializer<'de, TestError> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = TestError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TestError> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Int(i) => match i64::try_from(i) {
                Ok(v) => visitor.visit_i64(v),
                Err(_) => match u64::try_from(i) {
                    Ok(v) => visitor.visit_u64(v),
                    Err(_) => visitor.visit_i128(i),
                },
            },
            Value::Str(s) => visitor.visit_string(s),
            Value::Seq(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
            Value::Map(entries) => visitor.visit_map(MapDeserializer::new(entries.into_iter())),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, TestError> {
        match self {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, TestError> {
        match self {
            Value::Str(s) => visitor.visit_enum(s.into_deserializer()),
            other => Err(de::Error::custom(format!("unsupported enum {other:?}"))),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}
