//! Interned attribute values, so filtering and facet counting over thousands of products
//! compares small integers instead of strings.
//!
//! Every (name, value) pair of a product attribute or SKU axis gets a value id; every name a
//! name id. A product keeps the ids of its own attributes and, per active SKU, the sorted ids
//! of the SKU's axis values.

use std::collections::HashMap;

use super::model::Product;

/// The interning table of a snapshot.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    names: HashMap<String, u32>,
    values: HashMap<(u32, String), u32>,
    /// Per value id: (name id, value text).
    value_info: Vec<(u32, String)>,
}

impl Interner {
    fn name(&mut self, name: &str) -> u32 {
        let next = self.names.len() as u32;
        *self.names.entry(name.to_string()).or_insert(next)
    }

    fn value(&mut self, name: &str, value: &str) -> u32 {
        let name_id = self.name(name);
        let next = self.value_info.len() as u32;
        let id = *self.values.entry((name_id, value.to_string())).or_insert(next);
        if id == next {
            self.value_info.push((name_id, value.to_string()));
        }
        id
    }

    /// Interns a product's attribute and SKU values.
    pub fn product(&mut self, p: &Product) -> AttrIds {
        let mut attrs: Vec<(u32, u32)> = p.attributes.iter().map(|(n, v)| (self.name(n), self.value(n, v))).collect();
        attrs.sort_unstable();
        let own: Vec<u32> = attrs.iter().map(|(n, _)| *n).collect();
        let mut sku_values = Vec::new();
        let mut sku_ends = Vec::with_capacity(p.skus.len());
        let mut facets: Vec<(u32, u32)> = attrs.clone();
        for sku in &p.skus {
            let from = sku_values.len();
            for (n, v) in &sku.attrs {
                let id = self.value(n, v);
                sku_values.push(id);
                let name_id = self.value_info[id as usize].0;
                if !own.contains(&name_id) {
                    facets.push((name_id, id));
                }
            }
            sku_values[from..].sort_unstable();
            sku_ends.push(sku_values.len() as u32);
        }
        facets.sort_unstable();
        facets.dedup();
        AttrIds {
            attrs: attrs.into_boxed_slice(),
            sku_values: sku_values.into_boxed_slice(),
            sku_ends: sku_ends.into_boxed_slice(),
            facets: facets.into_boxed_slice(),
        }
    }

    /// Number of distinct values (value ids are `0..value_count()`).
    pub fn value_count(&self) -> usize {
        self.value_info.len()
    }

    pub fn name_id(&self, name: &str) -> Option<u32> {
        self.names.get(name).copied()
    }

    /// The id of `value` for attribute `name`, if any product has it.
    pub fn value_id(&self, name_id: u32, value: &str) -> Option<u32> {
        self.values.get(&(name_id, value.to_string())).copied()
    }

    /// (name id, value text) of a value id.
    pub fn info(&self, value_id: u32) -> Option<&(u32, String)> {
        self.value_info.get(value_id as usize)
    }
}

/// A product's interned attributes.
#[derive(Debug, Default)]
pub struct AttrIds {
    /// (name id, value id) of the product's own attributes, sorted.
    pub attrs: Box<[(u32, u32)]>,
    /// The axis value ids of every active SKU, one run per SKU (each run sorted)...
    pub sku_values: Box<[u32]>,
    /// ...ending at these offsets of `sku_values`.
    pub sku_ends: Box<[u32]>,
    /// Distinct (name id, value id) pairs the product counts under in facets: its own
    /// attributes, and the SKU values of names it has no own attribute for.
    pub facets: Box<[(u32, u32)]>,
}

/// One attribute filter: the name and the accepted value ids (any of them).
#[derive(Debug)]
pub struct AttrFilter {
    pub name_id: u32,
    pub values: Vec<u32>,
}

impl AttrIds {
    /// The value ids of each SKU.
    fn skus(&self) -> impl Iterator<Item = &[u32]> + '_ {
        let mut from = 0usize;
        self.sku_ends.iter().map(move |&end| {
            let run = &self.sku_values[from..end as usize];
            from = end as usize;
            run
        })
    }

    fn own(&self, name_id: u32) -> Option<u32> {
        self.attrs.iter().find(|(n, _)| *n == name_id).map(|(_, v)| *v)
    }

    /// True when the product's own attributes match and one SKU matches every remaining filter.
    pub fn matches(&self, filters: &[AttrFilter]) -> bool {
        let mut sku_filters: [Option<&AttrFilter>; 8] = [None; 8];
        let mut n = 0;
        for f in filters {
            match self.own(f.name_id) {
                Some(v) => {
                    if !f.values.contains(&v) {
                        return false;
                    }
                }
                None if n < sku_filters.len() => {
                    sku_filters[n] = Some(f);
                    n += 1;
                }
                None => return self.skus_match(filters),
            }
        }
        if n == 0 {
            return true;
        }
        let wanted = &sku_filters[..n];
        self.skus().any(|sku| wanted.iter().flatten().all(|f| sku.iter().any(|id| f.values.contains(id))))
    }

    /// Slow path for very many filters: every filter against SKUs (own attributes checked above).
    fn skus_match(&self, filters: &[AttrFilter]) -> bool {
        let rest: Vec<&AttrFilter> = filters.iter().filter(|f| self.own(f.name_id).is_none()).collect();
        self.skus().any(|sku| rest.iter().all(|f| sku.iter().any(|id| f.values.contains(id))))
    }

    /// The distinct value ids this product has for `name_id`.
    pub fn values_of(&self, name_id: u32) -> impl Iterator<Item = u32> + '_ {
        let from = self.facets.partition_point(|(n, _)| *n < name_id);
        self.facets[from..].iter().take_while(move |(n, _)| *n == name_id).map(|(_, v)| *v)
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::small_map::SmallMap;

    use super::*;
    use crate::catalog::model::Sku;

    fn sku(pairs: &[(&str, &str)]) -> Sku {
        Sku {
            id: 0,
            code: String::new(),
            attrs: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            price: 0,
            list_price: None,
            currency: "CNY".into(),
            weight_grams: 0,
            barcode: String::new(),
            position: 0,
            active: true,
        }
    }

    fn product(attrs: &[(&str, &str)], skus: Vec<Sku>) -> Product {
        Product {
            id: 1,
            merchant_id: 1,
            category_id: 1,
            slug: "p".into(),
            status: "listed".into(),
            publish_at: None,
            brand: String::new(),
            currency: "CNY".into(),
            min_price: 0,
            sales_count: 0,
            created_at: 0,
            updated_at: 0,
            listed_at: None,
            texts: SmallMap::new(),
            tags: Vec::new(),
            attributes: attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            images: Vec::new(),
            skus,
        }
    }

    fn filter(i: &Interner, name: &str, values: &[&str]) -> AttrFilter {
        let name_id = i.name_id(name).unwrap();
        AttrFilter { name_id, values: values.iter().filter_map(|v| i.value_id(name_id, v)).collect() }
    }

    #[test]
    fn one_sku_must_match_every_sku_filter() {
        let mut i = Interner::default();
        let p = product(
            &[("gender", "women")],
            vec![sku(&[("color", "red"), ("size", "S")]), sku(&[("color", "blue"), ("size", "M")])],
        );
        let ids = i.product(&p);
        assert!(ids.matches(&[filter(&i, "color", &["red"]), filter(&i, "size", &["S"])]));
        assert!(!ids.matches(&[filter(&i, "color", &["red"]), filter(&i, "size", &["M"])]));
        assert!(ids.matches(&[filter(&i, "color", &["red", "blue"]), filter(&i, "size", &["M"])]));
        assert!(ids.matches(&[filter(&i, "gender", &["women"]), filter(&i, "size", &["M"])]));
        let colors: Vec<&str> =
            ids.values_of(i.name_id("color").unwrap()).map(|v| i.info(v).unwrap().1.as_str()).collect();
        assert_eq!(colors.len(), 2);
        assert!(colors.contains(&"red") && colors.contains(&"blue"));
    }
}
