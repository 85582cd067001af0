//! The workloads of BENCHMARKS.md (B1–B6; B7/B8 wait for their features) and the
//! discovery of the ids, slugs and values they use, read from the API at start.

use std::sync::Arc;

use anyhow::{Context, Result, bail};
use hyper::Method;
use serde_json::{Value, json};

use crate::load::{Conn, Reply};

/// A tiny deterministic generator (SplitMix64) for choosing targets.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

/// Number of distinct requests prepared per workload (cycled through by the workers).
const TARGETS: usize = 256;

/// Everything the workloads request, discovered once.
pub struct Plan {
    /// B1: `/api/v1/products?category=<root>&limit=50`.
    pub b1: Vec<String>,
    /// B3: second-level category with color and size, page of 24, facets.
    pub b3: Vec<String>,
    /// B4: `/api/v1/products/<slug>`.
    pub b4: Vec<String>,
    /// B6: SKU ids to buy.
    pub skus: Vec<i64>,
    pub shipping_method_id: i64,
}

async fn get_json(conn: &mut Conn, path: &str) -> Result<Value> {
    let r = conn.get(path).await?;
    if r.status != 200 {
        bail!("GET {path}: status {}: {}", r.status, String::from_utf8_lossy(&r.body));
    }
    r.json()
}

fn slugs_of(nodes: &[Value]) -> Vec<String> {
    nodes.iter().filter_map(|n| n["slug"].as_str().map(String::from)).collect()
}

fn facet_values(page: &Value, name: &str) -> Vec<String> {
    page["facets"][name].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

impl Plan {
    /// Reads categories, products (10 from every second-level category), facets and the
    /// shipping method from the API.
    pub async fn discover(addr: &str, seed: u64) -> Result<Plan> {
        let mut conn = Conn::new(addr);
        let mut rng = Rng::new(seed);
        let tree = get_json(&mut conn, "/api/v1/categories").await?;
        let roots = tree.as_array().context("category tree is not a list")?;
        let root_slugs = slugs_of(roots);
        let second: Vec<String> =
            roots.iter().flat_map(|r| slugs_of(r["children"].as_array().map_or(&[][..], |v| v))).collect();
        if root_slugs.is_empty() || second.is_empty() {
            bail!("the shop has no category tree: seed it with `agora seed-bench` first");
        }
        let b1 =
            (0..TARGETS).map(|_| format!("/api/v1/products?category={}&limit=50", rng.pick(&root_slugs))).collect();
        let mut b3 = Vec::with_capacity(TARGETS);
        let mut slugs = Vec::new();
        for slug in &second {
            let page =
                get_json(&mut conn, &format!("/api/v1/products?category={slug}&limit=10&facets=color,size")).await?;
            let items = page["items"].as_array().into_iter().flatten();
            slugs.extend(items.filter_map(|i| i["slug"].as_str().map(String::from)));
            let (colors, sizes) = (facet_values(&page, "color"), facet_values(&page, "size"));
            if colors.is_empty() || sizes.is_empty() {
                continue;
            }
            for _ in 0..(TARGETS / second.len()).max(1) {
                let (c, s) = (rng.pick(&colors), rng.pick(&sizes));
                b3.push(format!(
                    "/api/v1/products?category={slug}&attr.color={c}&attr.size={s}&limit=24&facets=color,size"
                ));
            }
        }
        if slugs.is_empty() {
            bail!("the shop lists no products");
        }
        let b4: Vec<String> = (0..TARGETS).map(|_| format!("/api/v1/products/{}", rng.pick(&slugs))).collect();
        let mut skus = Vec::new();
        for path in b4.iter().take(64) {
            let detail = get_json(&mut conn, path).await?;
            let sku = detail["skus"].as_array().and_then(|s| s.iter().find(|s| s["available"].as_i64() > Some(0)));
            skus.extend(sku.and_then(|s| s["id"].as_i64()));
        }
        let methods = get_json(&mut conn, "/api/v1/shipping-methods").await?;
        let method = methods
            .as_array()
            .and_then(|m| m.iter().find(|m| m["code"] == "bench-standard").or_else(|| m.first()))
            .and_then(|m| m["id"].as_i64())
            .context("the shop has no shipping method")?;
        if b3.is_empty() || skus.is_empty() {
            bail!("the shop has no products with color/size facets or stock");
        }
        Ok(Plan { b1, b3, b4, skus, shipping_method_id: method })
    }
}

/// One GET from `paths` (chosen by iteration), expecting 200.
pub async fn get_one(mut conn: Conn, paths: Arc<Vec<String>>, i: u64) -> (Conn, Result<()>) {
    let path = &paths[(i as usize) % paths.len()];
    let result = conn.get(path).await.and_then(|r| expect(&r, 200, path));
    (conn, result)
}

fn expect(r: &Reply, status: u16, what: &str) -> Result<()> {
    if r.status == status {
        Ok(())
    } else {
        bail!("{what}: status {} (expected {status}): {}", r.status, String::from_utf8_lossy(&r.body))
    }
}

/// A placed and paid guest order: (order id, guest access token).
pub type Placed = (i64, String);

async fn step(
    conn: &mut Conn,
    method: Method,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
    status: u16,
) -> Result<Value> {
    let r = conn.send(method, path, body, headers).await?;
    expect(&r, status, path)?;
    if r.body.is_empty() || r.body.first() == Some(&b'<') { Ok(Value::Null) } else { r.json() }
}

/// B6: a guest creates a cart, adds one line, sets e-mail and address, chooses shipping,
/// places the order and pays it in the sandbox wallet.
pub async fn checkout(conn: &mut Conn, plan: &Plan, i: u64) -> Result<Placed> {
    let sku = plan.skus[(i as usize) % plan.skus.len()];
    let cart = step(conn, Method::POST, "/api/v1/carts", Some(&json!({})), &[], 201).await?;
    let token = cart["token"].as_str().context("cart without token")?.to_string();
    let base = format!("/api/v1/carts/{token}");
    step(conn, Method::POST, &format!("{base}/lines"), Some(&json!({"sku_id": sku, "quantity": 1})), &[], 200).await?;
    let email = json!({"email": format!("guest{i}@bench.agora.shop")});
    step(conn, Method::PUT, &format!("{base}/email"), Some(&email), &[], 200).await?;
    let address = json!({"address": {
        "recipient": "Bench Guest", "phone": "13800138000", "country": "CN", "province": "上海市",
        "city": "上海市", "district": "静安区", "line1": "南京西路 1000 号", "postal_code": "200041"
    }});
    step(conn, Method::PUT, &format!("{base}/address"), Some(&address), &[], 200).await?;
    step(
        conn,
        Method::PUT,
        &format!("{base}/shipping"),
        Some(&json!({"method_id": plan.shipping_method_id})),
        &[],
        200,
    )
    .await?;
    let key = format!("bench-{token}");
    let placed = step(
        conn,
        Method::POST,
        "/api/v1/orders",
        Some(&json!({"cart_token": token})),
        &[("idempotency-key", &key)],
        201,
    )
    .await?;
    let order_id = placed["orders"][0]["id"].as_i64().context("no order id")?;
    let access = placed["access_token"].as_str().context("no access token")?.to_string();
    let payment = step(
        conn,
        Method::POST,
        &format!("/api/v1/orders/{order_id}/payments"),
        None,
        &[("x-order-token", &access)],
        201,
    )
    .await?;
    let provider_ref = payment["provider_ref"].as_str().context("no provider ref")?;
    step(conn, Method::POST, &format!("/sandbox/pay/{provider_ref}/succeed"), None, &[], 200).await?;
    Ok((order_id, access))
}

/// Status of a guest order.
pub async fn order_status(conn: &mut Conn, placed: &Placed) -> Result<String> {
    let r =
        conn.send(Method::GET, &format!("/api/v1/orders/{}", placed.0), None, &[("x-order-token", &placed.1)]).await?;
    expect(&r, 200, "order")?;
    Ok(r.json()?["status"].as_str().unwrap_or_default().to_string())
}
