//! Generates every row and media file of the benchmark shop in memory, deterministically.

use std::collections::BTreeMap;

use agora_domain::Slug;

use super::insert::Table;
use super::words::*;
use super::{BASE_TIME_MS, Counts, Params, png};
use crate::demo::rng::Rng;

/// The shop's own currency (`skus.currency`) and the second one (`sku_prices`).
pub(super) const PRIMARY_CURRENCY: &str = "CNY";
pub(super) const SECOND_CURRENCY: &str = "USD";
/// Fen per US cent × 100 (1 USD ≈ 7.2 CNY).
const FEN_PER_CENT_X100: i64 = 720;
pub(super) const WAREHOUSE_ID: i64 = 1;
pub(super) const UNITS_PER_SKU: i64 = 1_000;
const CHILDREN: usize = 10;

/// Everything to write.
pub(super) struct Generated {
    /// In insertion order (parents before children).
    pub tables: Vec<Table>,
    /// Media files: (content-hash name, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    pub counts: Counts,
}

struct Builder {
    rng: Rng,
    categories: Table,
    products: Table,
    texts: Table,
    tags: Table,
    attributes: Table,
    images: Table,
    skus: Table,
    prices: Table,
    stock: Table,
    ledger: Table,
    files: Vec<(String, Vec<u8>)>,
    next_image_id: i64,
    next_sku_id: i64,
}

/// Generates the shop of `params`; every customer gets `password_hash`.
pub(super) fn generate(params: &Params, seed: u64, password_hash: &str) -> Generated {
    let mut b = Builder {
        rng: Rng::new(seed),
        categories: Table::new(
            "categories",
            &[
                "id",
                "parent_id",
                "path",
                "slug",
                "name_en",
                "name_zh_cn",
                "name_zh_tw",
                "image_url",
                "position",
                "created_at",
                "updated_at",
            ],
        ),
        products: Table::new(
            "products",
            &[
                "id",
                "merchant_id",
                "category_id",
                "slug",
                "status",
                "brand",
                "currency",
                "min_price",
                "sales_count",
                "created_at",
                "updated_at",
                "listed_at",
            ],
        ),
        texts: Table::new("product_texts", &["product_id", "locale", "title", "subtitle", "description"]),
        tags: Table::new("product_tags", &["product_id", "tag"]),
        attributes: Table::new("product_attributes", &["product_id", "name", "value"]),
        images: Table::new(
            "product_images",
            &[
                "id",
                "product_id",
                "file_name",
                "content_type",
                "alt",
                "position",
                "byte_size",
                "created_at",
                "width",
                "height",
            ],
        ),
        skus: Table::new(
            "skus",
            &[
                "id",
                "product_id",
                "code",
                "attrs",
                "price",
                "list_price",
                "currency",
                "weight_grams",
                "position",
                "active",
                "created_at",
                "updated_at",
            ],
        ),
        prices: Table::new("sku_prices", &["sku_id", "currency", "price", "list_price"]),
        stock: Table::new("stock", &["sku_id", "warehouse_id", "on_hand", "reserved", "updated_at"]),
        ledger: Table::new(
            "stock_ledger",
            &[
                "sku_id",
                "warehouse_id",
                "kind",
                "on_hand_delta",
                "reserved_delta",
                "ref_type",
                "ref_id",
                "reason",
                "created_at",
            ],
        ),
        files: Vec::new(),
        next_image_id: 1,
        next_sku_id: 1,
    };
    let leaves = b.category_tree();
    let mut product_id = 1;
    for leaf in &leaves {
        for _ in 0..params.products_per_leaf {
            b.product(product_id, *leaf);
            product_id += 1;
        }
    }
    let counts = Counts {
        categories: b.categories.rows.len(),
        products: b.products.rows.len(),
        skus: b.skus.rows.len(),
        images: b.images.rows.len(),
        customers: params.customers,
    };
    let mut warehouses =
        Table::new("warehouses", &["id", "code", "name", "address", "priority", "active", "created_at"]);
    warehouses.push(vec![
        WAREHOUSE_ID.into(),
        "BENCH-01".into(),
        "Benchmark warehouse".into(),
        "".into(),
        10.into(),
        1.into(),
        BASE_TIME_MS.into(),
    ]);
    let tables = vec![
        warehouses,
        b.categories,
        b.products,
        b.texts,
        b.tags,
        b.attributes,
        b.images,
        b.skus,
        b.prices,
        b.stock,
        b.ledger,
        customers(params.customers, password_hash),
    ];
    Generated { tables, files: b.files, counts }
}

fn customers(n: usize, password_hash: &str) -> Table {
    let mut t = Table::new(
        "customers",
        &["id", "email", "password_hash", "display_name", "status", "created_at", "updated_at"],
    );
    for i in 1..=n as i64 {
        let at = BASE_TIME_MS + i * 1_000;
        t.push(vec![
            i.into(),
            format!("customer{i:05}@bench.agora.shop").into(),
            password_hash.into(),
            format!("Bench customer {i}").into(),
            "active".into(),
            at.into(),
            at.into(),
        ]);
    }
    t
}

/// Cuts `text` to at most `max` characters.
fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

impl Builder {
    /// Stores a solid-colour PNG and returns (file name, byte size).
    fn image(&mut self) -> (String, i64) {
        let v = self.rng.next_u64();
        let bytes = png::solid([v as u8, (v >> 8) as u8, (v >> 16) as u8]);
        let name = crate::catalog::images::file_name(&bytes, "png");
        let size = bytes.len() as i64;
        self.files.push((name.clone(), bytes));
        (name, size)
    }

    fn category(&mut self, id: i64, parent: Option<(i64, &str)>, position: usize, names: [String; 3], slug: String) {
        let path = match parent {
            Some((_, parent_path)) => format!("{parent_path}{id}/"),
            None => format!("/{id}/"),
        };
        let (file, _) = self.image();
        let [en, zh_cn, zh_tw] = names;
        self.categories.push(vec![
            id.into(),
            parent.map(|(p, _)| p).into(),
            path.into(),
            slug.into(),
            en.into(),
            zh_cn.into(),
            zh_tw.into(),
            crate::catalog::store::media_url(&file).into(),
            (position as i64).into(),
            BASE_TIME_MS.into(),
            BASE_TIME_MS.into(),
        ]);
    }

    /// 5 roots × 10 children × 10 grandchildren; returns the leaves' ids in order.
    fn category_tree(&mut self) -> Vec<i64> {
        let roots = ROOTS.len();
        let mut leaves = Vec::with_capacity(roots * CHILDREN * CHILDREN);
        for (r, (en, cn, tw)) in ROOTS.iter().enumerate() {
            let root_id = r as i64 + 1;
            let root_slug = en.to_lowercase();
            let root_path = format!("/{root_id}/");
            self.category(root_id, None, r, [en.to_string(), cn.to_string(), tw.to_string()], root_slug.clone());
            for c in 0..CHILDREN {
                let child_id = (roots + r * CHILDREN + c) as i64 + 1;
                let child_path = format!("{root_path}{child_id}/");
                let names = [format!("{en} {}", c + 1), format!("{cn} {}", c + 1), format!("{tw} {}", c + 1)];
                self.category(child_id, Some((root_id, &root_path)), c, names, format!("{root_slug}-{}", c + 1));
                for g in 0..CHILDREN {
                    let leaf_id = (roots + roots * CHILDREN + (r * CHILDREN + c) * CHILDREN + g) as i64 + 1;
                    let label = format!("{}.{}", c + 1, g + 1);
                    let names = [format!("{en} {label}"), format!("{cn} {label}"), format!("{tw} {label}")];
                    let slug = format!("{root_slug}-{}-{}", c + 1, g + 1);
                    self.category(leaf_id, Some((child_id, &child_path)), g, names, slug);
                    leaves.push(leaf_id);
                }
            }
        }
        leaves
    }

    fn description(&mut self, title: &str, chinese: bool) -> String {
        let target = self.rng.range(10, 1_000) as usize;
        let sentences: &[&str] = if chinese { &SENTENCES_ZH } else { &SENTENCES_EN };
        let mut text = format!("## {title}\n\n");
        while text.chars().count() < target {
            text.push_str("- ");
            let sentence: &&str = self.rng.pick(sentences);
            text.push_str(sentence);
            text.push('\n');
        }
        let text = cut(&text, target);
        if text.chars().count() < 10 { format!("{text}..........") } else { text }
    }

    fn picks(&mut self, from: &[&'static str], n: i64) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        while out.len() < n as usize {
            let v = *self.rng.pick(from);
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out
    }

    fn product(&mut self, id: i64, category_id: i64) {
        let at = BASE_TIME_MS + id * 1_000;
        let chinese = id % 2 == 0;
        let (a, n) = (self.rng.range(0, 15) as usize, self.rng.range(0, 15) as usize);
        let brand = *self.rng.pick(&BRANDS);
        let material = *self.rng.pick(&MATERIALS);
        let slug = Slug::from_title(&format!("{} {} {id}", ADJ_EN[a], NOUN_EN[n])).as_str().to_string();
        let (locale, title, subtitle) = if chinese {
            ("zh-CN", format!("{}{} {id}", ADJ_ZH[a], NOUN_ZH[n]), format!("{brand} · {material}"))
        } else {
            ("en", format!("{} {} {id}", ADJ_EN[a], NOUN_EN[n]), format!("{brand} · {material}"))
        };
        let description = self.description(&title, chinese);
        let skus = self.skus(id, at);
        let min_price = skus.iter().copied().min().unwrap_or(0);
        self.products.push(vec![
            id.into(),
            crate::catalog::DEFAULT_MERCHANT_ID.into(),
            category_id.into(),
            slug.into(),
            "listed".into(),
            brand.into(),
            PRIMARY_CURRENCY.into(),
            min_price.into(),
            0.into(),
            at.into(),
            at.into(),
            Some(at).into(),
        ]);
        self.texts.push(vec![id.into(), locale.into(), title.clone().into(), subtitle.into(), description.into()]);
        let tag_count = self.rng.range(1, 5);
        for tag in self.picks(&TAGS, tag_count) {
            self.tags.push(vec![id.into(), tag.into()]);
        }
        let label_count = self.rng.range(0, 2);
        for label in self.picks(&LABELS, label_count) {
            self.tags.push(vec![id.into(), format!("label:{label}").into()]);
        }
        self.attributes.push(vec![id.into(), "material".into(), material.into()]);
        for position in 0..self.rng.range(1, 3) {
            let (file, size) = self.image();
            let image_id = self.next_image_id;
            self.next_image_id += 1;
            self.images.push(vec![
                image_id.into(),
                id.into(),
                file.into(),
                "image/png".into(),
                title.clone().into(),
                position.into(),
                size.into(),
                at.into(),
                i64::from(png::SIDE).into(),
                i64::from(png::SIDE).into(),
            ]);
        }
    }

    /// The product's SKUs (1, or 2–4 for one product in ten); returns their prices.
    fn skus(&mut self, product_id: i64, at: i64) -> Vec<i64> {
        let count = if self.rng.chance(10) { self.rng.range(2, 4) } else { 1 };
        let color = self.rng.range(0, COLORS.len() as i64 - 1);
        let size = self.rng.range(1, 10);
        let base = self.rng.range(10, 1_000) * 100 - 10;
        let discounted = self.rng.chance(30);
        let weight = self.rng.range(100, 3_000);
        let mut prices = Vec::with_capacity(count as usize);
        for j in 0..count {
            let id = self.next_sku_id;
            self.next_sku_id += 1;
            let mut attrs = BTreeMap::new();
            attrs.insert("color", COLORS[((color + j) % COLORS.len() as i64) as usize].to_string());
            attrs.insert("size", ((size - 1 + j * 3) % 10 + 1).to_string());
            let price = base + j * 1_000;
            let list_price = discounted.then_some((price * 6 / 5) / 10 * 10);
            let attrs = serde_json::to_string(&attrs).unwrap_or_else(|_| "{}".into());
            self.skus.push(vec![
                id.into(),
                product_id.into(),
                format!("P{product_id}-{}", j + 1).into(),
                attrs.into(),
                price.into(),
                list_price.into(),
                PRIMARY_CURRENCY.into(),
                weight.into(),
                (j + 1).into(),
                1.into(),
                at.into(),
                at.into(),
            ]);
            let usd = |fen: i64| (fen * 100 + FEN_PER_CENT_X100 / 2) / FEN_PER_CENT_X100;
            self.prices.push(vec![id.into(), SECOND_CURRENCY.into(), usd(price).into(), list_price.map(usd).into()]);
            self.stock.push(vec![id.into(), WAREHOUSE_ID.into(), UNITS_PER_SKU.into(), 0.into(), at.into()]);
            self.ledger.push(vec![
                id.into(),
                WAREHOUSE_ID.into(),
                "inbound".into(),
                UNITS_PER_SKU.into(),
                0.into(),
                "seed".into(),
                "bench-20k".into(),
                "opening stock".into(),
                at.into(),
            ]);
            prices.push(price);
        }
        prices
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::insert::Val;

    fn dump(g: &Generated) -> String {
        g.tables.iter().map(|t| format!("{}:{:?}", t.name, t.rows)).collect()
    }

    fn column<'a>(t: &'a Table, name: &str) -> impl Iterator<Item = &'a Val> + 'a {
        let i = t.columns.iter().position(|c| *c == name).unwrap();
        t.rows.iter().map(move |r| &r[i])
    }

    fn table<'a>(g: &'a Generated, name: &str) -> &'a Table {
        g.tables.iter().find(|t| t.name == name).unwrap()
    }

    #[test]
    fn same_seed_same_shop_and_shapes_hold() {
        let params = Params { products_per_leaf: 2, customers: 5 };
        let a = generate(&params, 7, "hash");
        assert_eq!(dump(&a), dump(&generate(&params, 7, "hash")));
        assert_ne!(dump(&a), dump(&generate(&params, 8, "hash")));
        assert_eq!(a.counts.products, 1_000);
        let paths: Vec<&Val> = column(table(&a, "categories"), "path").collect();
        assert!(matches!(paths[0], Val::S(p) if p == "/1/"));
        assert!(matches!(paths.last().unwrap(), Val::S(p) if p == "/5/55/555/"));
        for d in column(table(&a, "product_texts"), "description") {
            let Val::S(d) = d else { panic!() };
            assert!((10..=1_000).contains(&d.chars().count()), "{d:?}");
        }
        let mut tags: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
        for row in &table(&a, "product_tags").rows {
            let (Val::I(id), Val::S(tag)) = (&row[0], &row[1]) else { panic!() };
            let e = tags.entry(*id).or_default();
            if tag.starts_with("label:") { e.1 += 1 } else { e.0 += 1 }
        }
        assert!(tags.values().all(|(t, l)| (1..=5).contains(t) && *l <= 2));
        let per_product = a.counts.skus as f64 / a.counts.products as f64;
        assert!((1.05..1.5).contains(&per_product), "about 10% have 2-4 SKUs: {per_product}");
        assert!((1_000..=3_000).contains(&a.counts.images));
    }
}
