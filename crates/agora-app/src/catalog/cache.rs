//! The in-memory catalog that serves shopper listing and detail.
//!
//! A [`Snapshot`] holds every listed product (active SKUs only), the category tree, the
//! product lists of every category (descendants included) pre-sorted for each sort order,
//! and each product's list item serialised per locale on first use. It is built with a handful of
//! bulk queries (see `store::products`).
//!
//! Invalidation: every catalog write in this process calls [`Cache::invalidate`] after its
//! commit, which bumps a generation counter; the next read rebuilds. A snapshot built while
//! a write committed carries the old generation and is rebuilt on the following read. Writes
//! also bump `catalog_revision` in `app_settings`; a reader compares it with the snapshot's
//! at most once per second, so changes made by other processes show within a second.
//! Availability (stock) is cached separately for at most one second.
//!
//! Sales counts change with every paid order, far too often to patch products one by one
//! (and they are not catalog writes: no revision bump). Instead a reader re-reads
//! `(id, sales_count)` of the listed products at most every [`SALES_REFRESH_MS`] and, when
//! some changed, swaps in a snapshot where only those entries are rebuilt and the lists
//! re-sorted (no database reload). So the bestseller order and the counts shown are at most
//! `SALES_REFRESH_MS` (plus one request) stale, in every process.

use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use agora_domain::Locale;
use serde::Serialize;

use super::attrs::{AttrIds, Interner};
use super::listing::{self, Sort};
use super::model::{Category, Product};
use super::store::{self, Scope};
use crate::db::Db;
use crate::error::AppResult;

/// How often a reader checks whether another process changed the catalog.
const REVISION_CHECK_MS: u64 = 1000;
/// How often a reader re-reads the products' sales counts (the staleness bound of the
/// `sales` sort order).
pub const SALES_REFRESH_MS: u64 = 10_000;
/// How long availability figures may be reused.
const STOCK_TTL_MS: u128 = 1000;

type StockMap = Arc<HashMap<i64, i64>>;

/// The shared, self-refreshing catalog snapshot of a process.
pub struct Cache {
    generation: AtomicU64,
    current: RwLock<Option<Arc<Snapshot>>>,
    rebuild: tokio::sync::Mutex<()>,
    started: Instant,
    last_check_ms: AtomicU64,
    stock: RwLock<Option<(Instant, StockMap)>>,
    stock_refresh: tokio::sync::Mutex<()>,
    pending: std::sync::Mutex<Pending>,
    sales_refresh_ms: AtomicU64,
    last_sales_ms: AtomicU64,
}

/// What changed since the current snapshot was built.
#[derive(Debug, Default)]
struct Pending {
    /// Rebuild everything (categories changed, or another process wrote).
    full: bool,
    /// Products to reload and patch in.
    products: BTreeSet<i64>,
    /// Catalog revisions produced by this process's own writes (already reflected by
    /// patching), so the cross-process check can tell them from foreign writes.
    own_revisions: BTreeSet<i64>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("generation", &self.generation.load(Ordering::Relaxed)).finish()
    }
}

impl Default for Cache {
    fn default() -> Self {
        Cache {
            generation: AtomicU64::new(1),
            current: RwLock::new(None),
            rebuild: tokio::sync::Mutex::new(()),
            started: Instant::now(),
            last_check_ms: AtomicU64::new(0),
            stock: RwLock::new(None),
            stock_refresh: tokio::sync::Mutex::new(()),
            pending: std::sync::Mutex::new(Pending::default()),
            sales_refresh_ms: AtomicU64::new(SALES_REFRESH_MS),
            last_sales_ms: AtomicU64::new(0),
        }
    }
}

impl Cache {
    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Marks the whole snapshot stale; the next read rebuilds it.
    pub fn invalidate(&self) {
        self.pending().full = true;
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// Marks some products stale (after a committed write that produced catalog `revision`);
    /// the next read reloads just those and patches them in.
    pub fn invalidate_products(&self, ids: &[i64], revision: Option<i64>) {
        {
            let mut pending = self.pending();
            pending.products.extend(ids.iter().copied());
            pending.own_revisions.extend(revision);
        }
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn loaded(&self) -> Option<Arc<Snapshot>> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// True at most once per [`REVISION_CHECK_MS`] across all readers.
    fn revision_check_due(&self) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.last_check_ms.load(Ordering::Relaxed);
        now.saturating_sub(last) >= REVISION_CHECK_MS
            && self.last_check_ms.compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed).is_ok()
    }

    /// Changes how often sales counts are re-read (tests use 0: on every read).
    pub fn set_sales_refresh_ms(&self, ms: u64) {
        self.sales_refresh_ms.store(ms, Ordering::Relaxed);
    }

    /// True at most once per sales refresh period across all readers.
    fn sales_refresh_due(&self) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.last_sales_ms.load(Ordering::Relaxed);
        now.saturating_sub(last) >= self.sales_refresh_ms.load(Ordering::Relaxed)
            && self.last_sales_ms.compare_exchange(last, now, Ordering::AcqRel, Ordering::Relaxed).is_ok()
    }

    /// Re-reads the sales counts; when some changed, installs a copy of `s` with those
    /// entries rebuilt and the lists re-sorted. Returns the snapshot to use.
    async fn refresh_sales(&self, db: &Db, s: Arc<Snapshot>) -> AppResult<Arc<Snapshot>> {
        let counts = {
            let mut conn = db.reader().acquire().await?;
            store::sales_counts(&mut conn).await?
        };
        let changed: HashMap<i64, i64> = counts
            .into_iter()
            .filter(|(id, n)| s.product_by_key(&id.to_string()).is_some_and(|e| e.product.sales_count != *n))
            .collect();
        if changed.is_empty() {
            return Ok(s);
        }
        let _guard = self.rebuild.lock().await;
        match self.loaded() {
            // Replaced meanwhile (a patch or rebuild reads fresh counts anyway).
            Some(current) if !Arc::ptr_eq(&current, &s) => return Ok(current),
            _ => {}
        }
        let snapshot = Arc::new(s.with_sales(&changed));
        tracing::debug!(changed = changed.len(), "catalog sales counts refreshed");
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// True when every revision after `from` up to `to` came from this process.
    fn own_up_to(&self, from: i64, to: i64) -> bool {
        let pending = self.pending();
        to >= from && (from + 1..=to).all(|r| pending.own_revisions.contains(&r))
    }

    /// The current snapshot, rebuilt or patched first when it is stale.
    pub async fn snapshot(&self, db: &Db) -> AppResult<Arc<Snapshot>> {
        let generation = self.generation.load(Ordering::Acquire);
        if let Some(mut s) = self.loaded()
            && s.generation == generation
        {
            if self.sales_refresh_due() {
                match self.refresh_sales(db, s.clone()).await {
                    Ok(fresh) if fresh.generation == generation => s = fresh,
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "catalog sales refresh failed"),
                }
            }
            if !self.revision_check_due() {
                return Ok(s);
            }
            match current_revision(db).await {
                Ok(revision) if revision == s.revision || self.own_up_to(s.revision, revision) => return Ok(s),
                Ok(_) => self.invalidate(),
                Err(err) => {
                    // Keep serving what we have; the next check retries.
                    tracing::warn!(error = %err, "catalog revision check failed");
                    return Ok(s);
                }
            }
        }
        let _guard = self.rebuild.lock().await;
        let generation = self.generation.load(Ordering::Acquire);
        let current = self.loaded();
        if let Some(s) = &current
            && s.generation == generation
        {
            return Ok(s.clone());
        }
        let (full, products) = {
            let mut pending = self.pending();
            (std::mem::take(&mut pending.full), std::mem::take(&mut pending.products))
        };
        let started = Instant::now();
        let built = match current {
            Some(old) if !full => {
                let mut revision = old.revision;
                while self.pending().own_revisions.contains(&(revision + 1)) {
                    revision += 1;
                }
                old.patch(db, generation, revision, &products).await
            }
            _ => Snapshot::load(db, generation).await,
        };
        let snapshot = match built {
            Ok(s) => Arc::new(s),
            Err(err) => {
                self.invalidate();
                return Err(err);
            }
        };
        self.pending().own_revisions.retain(|r| *r > snapshot.revision);
        tracing::debug!(
            products = snapshot.products.len(),
            patched = if full { 0 } else { products.len() },
            ms = started.elapsed().as_millis() as u64,
            "catalog snapshot built"
        );
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// Available units per SKU, at most one second old.
    pub async fn availability(&self, db: &Db) -> AppResult<StockMap> {
        let fresh = |c: &Option<(Instant, StockMap)>| {
            c.as_ref().filter(|(at, _)| at.elapsed().as_millis() < STOCK_TTL_MS).map(|(_, m)| m.clone())
        };
        let cached = self.stock.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(m) = fresh(&cached) {
            return Ok(m);
        }
        // One reader refreshes; the others keep answering from the previous figures meanwhile.
        let _guard = match (self.stock_refresh.try_lock(), cached) {
            (Ok(guard), _) => guard,
            (Err(_), Some((_, stale))) => return Ok(stale),
            (Err(_), None) => self.stock_refresh.lock().await,
        };
        if let Some(m) = fresh(&self.stock.read().unwrap_or_else(|e| e.into_inner())) {
            return Ok(m);
        }
        let mut conn = db.reader().acquire().await?;
        let map = Arc::new(store::availability(&mut conn).await?);
        *self.stock.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), map.clone()));
        Ok(map)
    }
}

async fn current_revision(db: &Db) -> AppResult<i64> {
    let mut conn = db.reader().acquire().await?;
    store::revision(&mut conn).await
}

/// A listed product in the snapshot.
#[derive(Debug)]
pub struct Entry {
    /// The product with its active SKUs only.
    pub product: Product,
    /// List price of the cheapest active SKU.
    pub list_price: Option<i64>,
    /// The list item JSON per locale (index of `Locale::ALL`), rendered on first use: a
    /// shop spends memory only on the languages it actually serves.
    item_json: [std::sync::OnceLock<Box<str>>; 3],
    /// Interned attribute values for filters and facets.
    pub attr_ids: AttrIds,
}

impl Entry {
    /// The list item JSON in `locale`. `snap` must be the snapshot holding this entry (the
    /// breadcrumb comes from its tree; a tree change rebuilds every entry).
    pub fn item_json(&self, snap: &Snapshot, locale: Locale) -> &str {
        self.item_json[locale_index(locale)]
            .get_or_init(|| listing::item_json(snap, &self.product, self.list_price, locale).into_boxed_str())
    }
}

/// One breadcrumb step.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Crumb {
    pub id: i64,
    pub slug: String,
    pub name: String,
}

/// A consistent picture of the listed catalog (listed products with at least one active SKU).
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub generation: u64,
    pub revision: i64,
    /// Every category, ordered by position then id.
    pub categories: Vec<Category>,
    category_index: HashMap<i64, usize>,
    category_slugs: HashMap<String, i64>,
    pub products: Vec<Arc<Entry>>,
    /// Attribute names and values of every product, interned.
    pub interner: Interner,
    product_ids: HashMap<i64, u32>,
    product_slugs: HashMap<String, u32>,
    /// Product positions per category (None = all), one list per sort order.
    lists: HashMap<Option<i64>, [Vec<u32>; 4]>,
    /// Responses rendered from this snapshot on first use.
    pub(crate) rendered: Rendered,
}

/// Serialised responses derived from one snapshot, rendered on first use. A copy of a
/// snapshot (a patch) starts empty, so nothing rendered from older data is ever served.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The category tree JSON: index 0 without a locale, then per `Locale::ALL` + 1.
    pub(crate) tree: [std::sync::OnceLock<bytes::Bytes>; 4],
}

impl Clone for Rendered {
    fn clone(&self) -> Self {
        Rendered::default()
    }
}

pub(crate) fn locale_index(locale: Locale) -> usize {
    match locale {
        Locale::En => 0,
        Locale::ZhCn => 1,
        Locale::ZhTw => 2,
    }
}

impl Snapshot {
    async fn load(db: &Db, generation: u64) -> AppResult<Snapshot> {
        let mut conn = db.reader().acquire().await?;
        let revision = store::revision(&mut conn).await?;
        let categories = store::categories(&mut conn).await?;
        let products = store::products(&mut conn, Scope::Listed).await?;
        let mut snap = Snapshot::empty(generation, revision, categories, Interner::default());
        for product in products {
            if let Some(entry) = snap.entry(product) {
                snap.push(entry);
            }
        }
        snap.sort_lists();
        Ok(snap)
    }

    /// A copy of this snapshot with `ids` reloaded (added, replaced or removed).
    async fn patch(&self, db: &Db, generation: u64, revision: i64, ids: &BTreeSet<i64>) -> AppResult<Snapshot> {
        let mut conn = db.reader().acquire().await?;
        let mut fresh = Vec::with_capacity(ids.len());
        for &id in ids {
            if let Some(p) = store::product(&mut conn, id).await?
                && p.status == "listed"
            {
                fresh.push(p);
            }
        }
        Ok(self.apply(generation, revision, ids, fresh))
    }

    /// Pure part of [`Snapshot::patch`]: `fresh` are the touched products that are listed now.
    fn apply(&self, generation: u64, revision: i64, ids: &BTreeSet<i64>, fresh: Vec<Product>) -> Snapshot {
        // Copy (entries are shared), unlink every touched product, then link the fresh ones.
        // Positions of untouched products never move, so the lists stay valid.
        let mut snap = self.clone();
        snap.generation = generation;
        snap.revision = revision;
        for id in ids {
            if let Some(&i) = self.product_ids.get(id) {
                snap.unlink(i);
            }
        }
        for product in fresh {
            if let Some(entry) = snap.entry(product) {
                match self.product_ids.get(&entry.product.id) {
                    Some(&i) => snap.link(i, entry),
                    None => snap.push_sorted(entry),
                }
            }
        }
        snap
    }

    /// The list keys a product of `category_id` appears under: all, then its ancestors.
    fn keys(&self, category_id: i64) -> Vec<Option<i64>> {
        std::iter::once(None).chain(self.ancestor_ids(category_id).into_iter().map(Some)).collect()
    }

    /// Removes product position `i` from the lookups and every sorted list.
    fn unlink(&mut self, i: u32) {
        let entry = self.products[i as usize].clone();
        let p = &entry.product;
        self.product_ids.remove(&p.id);
        if self.product_slugs.get(&p.slug) == Some(&i) {
            self.product_slugs.remove(&p.slug);
        }
        for key in self.keys(p.category_id) {
            let Some(lists) = self.lists.get_mut(&key) else { continue };
            for sort in Sort::ALL {
                let rank = sort.rank(p);
                let list = &mut lists[sort as usize];
                let products = &self.products;
                let pos = list.partition_point(|&j| sort.rank(&products[j as usize].product) < rank);
                if list.get(pos) == Some(&i) {
                    list.remove(pos);
                }
            }
        }
    }

    /// Puts `entry` at position `i` and inserts it into its sorted lists.
    fn link(&mut self, i: u32, entry: Arc<Entry>) {
        self.product_ids.insert(entry.product.id, i);
        self.product_slugs.insert(entry.product.slug.clone(), i);
        let keys = self.keys(entry.product.category_id);
        self.products[i as usize] = entry;
        let p = &self.products[i as usize].product;
        for key in keys {
            let lists = self.lists.entry(key).or_insert_with(|| [const { Vec::new() }; 4]);
            for sort in Sort::ALL {
                let rank = sort.rank(p);
                let list = &mut lists[sort as usize];
                let pos = list.partition_point(|&j| sort.rank(&self.products[j as usize].product) < rank);
                list.insert(pos, i);
            }
        }
    }

    /// Appends a new product and inserts it into its sorted lists.
    fn push_sorted(&mut self, entry: Arc<Entry>) {
        let i = self.products.len() as u32;
        self.products.push(entry.clone());
        self.link(i, entry);
    }

    /// A copy with new sales counts for some products (their entries rebuilt, every other
    /// entry shared) and the lists re-sorted.
    fn with_sales(&self, counts: &HashMap<i64, i64>) -> Snapshot {
        let mut snap = Snapshot::empty(self.generation, self.revision, self.categories.clone(), self.interner.clone());
        for e in &self.products {
            match counts.get(&e.product.id) {
                Some(&n) => {
                    let mut product = e.product.clone();
                    product.sales_count = n;
                    if let Some(entry) = snap.entry(product) {
                        snap.push(entry);
                    }
                }
                None => snap.push(e.clone()),
            }
        }
        snap.sort_lists();
        snap
    }

    fn empty(generation: u64, revision: i64, categories: Vec<Category>, interner: Interner) -> Snapshot {
        let category_index = categories.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
        let category_slugs = categories.iter().map(|c| (c.slug.clone(), c.id)).collect();
        Snapshot {
            generation,
            revision,
            categories,
            category_index,
            category_slugs,
            products: Vec::new(),
            interner,
            product_ids: HashMap::new(),
            product_slugs: HashMap::new(),
            lists: HashMap::new(),
            rendered: Rendered::default(),
        }
    }

    /// Prepares a listed product for shoppers; None when it has no active SKU (nothing to
    /// sell: hidden until a SKU is active again).
    fn entry(&mut self, mut product: Product) -> Option<Arc<Entry>> {
        product.skus.retain(|s| s.active);
        if product.skus.is_empty() {
            return None;
        }
        let list_price = product.skus.iter().find(|s| s.price == product.min_price).and_then(|s| s.list_price);
        let item_json = Default::default();
        let attr_ids = self.interner.product(&product);
        Some(Arc::new(Entry { product, list_price, item_json, attr_ids }))
    }

    fn push(&mut self, entry: Arc<Entry>) {
        let i = self.products.len() as u32;
        self.product_ids.insert(entry.product.id, i);
        self.product_slugs.insert(entry.product.slug.clone(), i);
        let ancestors = self.ancestor_ids(entry.product.category_id);
        for key in std::iter::once(None).chain(ancestors.into_iter().map(Some)) {
            self.lists.entry(key).or_insert_with(|| [const { Vec::new() }; 4])[0].push(i);
        }
        self.products.push(entry);
    }

    fn sort_lists(&mut self) {
        let mut lists = std::mem::take(&mut self.lists);
        for sorted in lists.values_mut() {
            for sort in Sort::ALL {
                let mut list = sorted[0].clone();
                list.sort_unstable_by_key(|&i| sort.rank(&self.products[i as usize].product));
                sorted[sort as usize] = list;
            }
        }
        self.lists = lists;
    }

    /// Ids from the root down to `category_id` (empty when unknown).
    pub fn ancestor_ids(&self, category_id: i64) -> Vec<i64> {
        self.category(category_id)
            .map(|c| c.path.split('/').filter_map(|s| s.parse().ok()).collect())
            .unwrap_or_default()
    }

    pub fn category(&self, id: i64) -> Option<&Category> {
        self.category_index.get(&id).map(|&i| &self.categories[i])
    }

    /// A category by id or slug.
    pub fn category_by_key(&self, key: &str) -> Option<&Category> {
        key.parse::<i64>()
            .ok()
            .and_then(|id| self.category(id))
            .or_else(|| self.category_slugs.get(key).and_then(|id| self.category(*id)))
    }

    /// The breadcrumb of a category, root first.
    pub fn breadcrumb(&self, category_id: i64, locale: Locale) -> Vec<Crumb> {
        self.ancestor_ids(category_id)
            .into_iter()
            .filter_map(|id| self.category(id))
            .map(|c| Crumb { id: c.id, slug: c.slug.clone(), name: c.names.get(locale).to_string() })
            .collect()
    }

    /// A listed product by id or slug.
    pub fn product_by_key(&self, key: &str) -> Option<&Entry> {
        key.parse::<i64>()
            .ok()
            .and_then(|id| self.product_ids.get(&id))
            .or_else(|| self.product_slugs.get(key))
            .map(|&i| self.products[i as usize].as_ref())
    }

    /// The products of a category (all when None) in `sort` order.
    pub fn list(&self, category_id: Option<i64>, sort: Sort) -> &[u32] {
        self.lists.get(&category_id).map_or(&[], |l| l[sort as usize].as_slice())
    }
}

#[cfg(test)]
mod tests {
    use crate::catalog::small_map::SmallMap;

    use super::*;
    use crate::catalog::model::{Names, Sku};

    fn category(id: i64, parent: Option<i64>, path: &str) -> Category {
        let name = format!("c{id}");
        Category {
            id,
            parent_id: parent,
            path: path.into(),
            slug: name.clone(),
            names: Names { en: name.clone(), zh_cn: name.clone(), zh_tw: name },
            image_url: None,
            position: 0,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn product(id: i64, category_id: i64, price: i64, created_at: i64, sales: i64) -> Product {
        let sku = Sku {
            id: id * 10,
            code: format!("P{id}"),
            attrs: [("color".to_string(), format!("c{}", id % 3))].into_iter().collect(),
            price,
            list_price: None,
            currency: "CNY".into(),
            weight_grams: 0,
            barcode: String::new(),
            position: 0,
            active: true,
        };
        Product {
            id,
            merchant_id: 1,
            category_id,
            slug: format!("p{id}"),
            status: "listed".into(),
            publish_at: None,
            brand: String::new(),
            currency: "CNY".into(),
            min_price: price,
            sales_count: sales,
            created_at,
            updated_at: 0,
            listed_at: None,
            texts: SmallMap::new(),
            tags: Vec::new(),
            attributes: SmallMap::new(),
            images: Vec::new(),
            skus: vec![sku],
        }
    }

    fn build(categories: &[Category], products: Vec<Product>) -> Snapshot {
        let mut snap = Snapshot::empty(1, 0, categories.to_vec(), Interner::default());
        for p in products {
            if let Some(e) = snap.entry(p) {
                snap.push(e);
            }
        }
        snap.sort_lists();
        snap
    }

    /// Every list as product ids, plus the slug lookups.
    fn shape(snap: &Snapshot) -> Vec<(Option<i64>, usize, Vec<i64>)> {
        let mut out = Vec::new();
        for (key, lists) in &snap.lists {
            for (sort, list) in lists.iter().enumerate() {
                let ids: Vec<i64> = list.iter().map(|&i| snap.products[i as usize].product.id).collect();
                if !ids.is_empty() {
                    out.push((*key, sort, ids));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn patching_equals_rebuilding() {
        let cats = [category(1, None, "/1/"), category(2, Some(1), "/1/2/"), category(3, None, "/3/")];
        let base: Vec<Product> =
            (1..=30).map(|i| product(i, [1, 2, 3][(i % 3) as usize], (i * 37) % 500, i % 7, i % 5)).collect();
        let snap = build(&cats, base.clone());
        // Price change, category move, removal (delisted), a new product, and a product whose
        // only SKU went inactive.
        let mut changed = vec![product(4, 2, 999, 4, 1), product(5, 3, 5, 5, 0), product(31, 2, 1, 100, 9)];
        let mut no_sku = product(6, 1, 10, 6, 0);
        no_sku.skus[0].active = false;
        changed.push(no_sku);
        let ids: BTreeSet<i64> = [4, 5, 6, 7, 31].into();
        let patched = snap.apply(2, 0, &ids, changed.clone());
        let mut expected: Vec<Product> = base.into_iter().filter(|p| !ids.contains(&p.id)).collect();
        expected.extend(changed);
        let rebuilt = build(&cats, expected);
        assert_eq!(shape(&patched), shape(&rebuilt));
        for key in ["p4", "p5", "p31", "p1"] {
            assert!(patched.product_by_key(key).is_some(), "{key}");
        }
        for key in ["p6", "p7", "7"] {
            assert!(patched.product_by_key(key).is_none(), "{key}");
        }
        assert_eq!(patched.product_by_key("31").map(|e| e.product.min_price), Some(1));
        assert_eq!(
            shape(&snap),
            shape(&build(
                &cats,
                (1..=30).map(|i| product(i, [1, 2, 3][(i % 3) as usize], (i * 37) % 500, i % 7, i % 5)).collect()
            )),
            "the old snapshot is untouched"
        );
    }
}
