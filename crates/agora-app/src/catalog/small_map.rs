//! [`SmallMap`]: the string-keyed maps of the catalog read model (a product's texts per
//! locale, its attributes, a SKU's attributes). They hold one to a few entries, and the
//! in-memory snapshot keeps one per product and SKU, so a sorted vector of exactly the
//! needed capacity replaces `BTreeMap`, whose smallest node reserves room for eleven
//! entries (about 40 MB over the bench-20k catalog). Serialises as a JSON object in key
//! order, exactly like the `BTreeMap` it replaces.

use std::collections::BTreeMap;

use serde::de::{Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A map from `String` keys, sorted by key, with no spare capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmallMap<V>(Vec<(String, V)>);

impl<V> Default for SmallMap<V> {
    fn default() -> Self {
        SmallMap(Vec::new())
    }
}

impl<V> SmallMap<V> {
    pub fn new() -> Self {
        SmallMap::default()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// Inserts or replaces; returns the replaced value.
    pub fn insert(&mut self, key: String, value: V) -> Option<V> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.reserve_exact(1);
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V: Clone> SmallMap<V> {
    /// A `BTreeMap` copy (for inputs and views that take one).
    pub fn to_btree(&self) -> BTreeMap<String, V> {
        self.0.iter().cloned().collect()
    }
}

impl<'a, V> IntoIterator for &'a SmallMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (String, V)>, fn(&'a (String, V)) -> (&'a String, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V> FromIterator<(String, V)> for SmallMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut map = SmallMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<V> From<BTreeMap<String, V>> for SmallMap<V> {
    fn from(map: BTreeMap<String, V>) -> Self {
        // Already sorted and unique.
        let mut entries: Vec<(String, V)> = map.into_iter().collect();
        entries.shrink_to_fit();
        SmallMap(entries)
    }
}

impl<V: Serialize> Serialize for SmallMap<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SmallMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, V>::deserialize(deserializer).map(SmallMap::from)
    }
}

#[cfg(test)]
mod tests {
    use super::SmallMap;

    #[test]
    fn sorted_unique_exact_and_serialised_like_a_btree_map() {
        let mut m: SmallMap<i32> = [("b".to_string(), 2), ("a".to_string(), 1)].into_iter().collect();
        assert_eq!(m.insert("c".into(), 3), None);
        assert_eq!(m.insert("a".into(), 10), Some(1));
        assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(m.get("b"), Some(&2));
        assert_eq!(m.get("z"), None);
        assert_eq!(m.0.capacity(), 3, "no spare room");
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"a":10,"b":2,"c":3}"#);
        let back: SmallMap<i32> = serde_json::from_str(r#"{"z":1,"y":2}"#).unwrap();
        assert_eq!(back.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>(), [("y", 2), ("z", 1)]);
        assert_eq!(back.to_btree().len(), 2);
    }
}
