//! Shared set-up for order, payment and fulfilment tests: catalog rows by direct SQL (the
//! catalog feature lives in another branch), carts through the cart feature's functions,
//! and HTTP helpers for placing, paying and signing webhooks.

use agora_app::cart::{self, Address, AddressChoice, NewPickupLocation, NewShippingMethod};
use agora_app::inventory::{Movement, MovementKind, ledger};
use agora_domain::ShippingRule;
use agora_testkit::{Response, TestApp};
use serde_json::{Value, json};

/// Who acts on an order over HTTP.
#[derive(Debug, Clone)]
pub enum Who {
    Customer(String),
    Guest(String),
    Nobody,
}

impl Who {
    pub fn apply(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Who::Customer(token) => req.bearer_auth(token),
            Who::Guest(token) => req.header("x-order-token", token),
            Who::Nobody => req,
        }
    }
}

async fn scalar(t: &TestApp, sql: &'static str, binds: &[Value]) -> i64 {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    for b in binds {
        q = match b {
            Value::Number(n) => q.bind(n.as_i64().expect("i64")),
            other => q.bind(other.as_str().expect("str").to_string()),
        };
    }
    q.fetch_one(t.app.db.writer()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Merchant 1 and the main warehouse.
pub async fn warehouse(t: &TestApp) -> i64 {
    let now = t.app.now();
    sqlx::query(
        "INSERT INTO merchants (id, name, status, created_at) VALUES (1, 'Agora', 'active', $1) ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(t.app.db.writer())
    .await
    .expect("merchant");
    sqlx::query(
        "INSERT INTO warehouses (code, name, priority, active, created_at) VALUES ('WH-ORD', 'Main', 10, 1, $1) ON CONFLICT DO NOTHING",
    )
    .bind(now)
    .execute(t.app.db.writer())
    .await
    .expect("warehouse");
    scalar(t, "SELECT id FROM warehouses WHERE code = 'WH-ORD'", &[]).await
}

/// A listed product in its own category with one SKU priced `price` (CNY) and `stock`
/// units received through the stock ledger. Returns the SKU id.
pub async fn sku(t: &TestApp, price: i64, stock: i64) -> i64 {
    sku_of(t, 1, price, stock).await
}

/// Like [`sku`], sold by merchant `merchant` (created if needed).
pub async fn sku_of(t: &TestApp, merchant: i64, price: i64, stock: i64) -> i64 {
    let wh = warehouse(t).await;
    sqlx::query("INSERT INTO merchants (id, name, status, created_at) VALUES ($1, 'Other', 'active', $2) ON CONFLICT DO NOTHING")
        .bind(merchant)
        .bind(t.app.now())
        .execute(t.app.db.writer())
        .await
        .expect("merchant");
    let now = t.app.now();
    let tag = agora_app::crypto::random_code(10).to_lowercase();
    let category = scalar(
        t,
        "INSERT INTO categories (path, slug, name_en, name_zh_cn, name_zh_tw, created_at, updated_at) \
         VALUES ('/', $1, 'Tea', '茶', '茶', $2, $2) RETURNING id",
        &[json!(format!("c-{tag}")), json!(now)],
    )
    .await;
    let product = scalar(
        t,
        "INSERT INTO products (merchant_id, category_id, slug, status, currency, min_price, created_at, updated_at, listed_at) \
         VALUES ($1, $2, $3, 'listed', 'CNY', $4, $5, $5, $5) RETURNING id",
        &[json!(merchant), json!(category), json!(format!("p-{tag}")), json!(price), json!(now)],
    )
    .await;
    for (locale, title) in [("en", "Oolong tea"), ("zh-CN", "乌龙茶")] {
        sqlx::query("INSERT INTO product_texts (product_id, locale, title) VALUES ($1, $2, $3)")
            .bind(product)
            .bind(locale)
            .bind(title)
            .execute(t.app.db.writer())
            .await
            .expect("text");
    }
    let sku = scalar(
        t,
        "INSERT INTO skus (product_id, code, attrs, price, currency, weight_grams, created_at, updated_at) \
         VALUES ($1, $2, '{\"size\":\"250g\"}', $3, 'CNY', 250, $4, $4) RETURNING id",
        &[json!(product), json!(format!("SKU-{tag}")), json!(price), json!(now)],
    )
    .await;
    let mut tx = t.app.db.begin().await.expect("tx");
    ledger::ensure_row(&mut tx, now, sku, wh).await.expect("stock row");
    let inbound = Movement {
        sku_id: sku,
        warehouse_id: wh,
        kind: MovementKind::Inbound,
        on_hand_delta: stock,
        reserved_delta: 0,
        ref_type: "test",
        ref_id: String::new(),
        reason: "test seed",
        staff_id: None,
    };
    assert!(ledger::apply(&mut tx, now, &inbound).await.expect("inbound"));
    tx.commit().await.expect("commit");
    sku
}

/// (on_hand, reserved) of a SKU over all warehouses.
pub async fn stock(t: &TestApp, sku: i64) -> (i64, i64) {
    sqlx::query_as("SELECT CAST(SUM(on_hand) AS BIGINT), CAST(SUM(reserved) AS BIGINT) FROM stock WHERE sku_id = $1")
        .bind(sku)
        .fetch_one(t.app.db.reader())
        .await
        .expect("stock")
}

/// A flat-fee (8.00) delivery method.
pub async fn delivery(t: &TestApp) -> i64 {
    let code = format!("std-{}", agora_app::crypto::random_code(6).to_lowercase());
    let input = NewShippingMethod {
        code,
        name: "Standard".into(),
        rule: ShippingRule::Flat { fee: 800 },
        active: true,
        position: 0,
    };
    cart::create_shipping_method(&t.app, &input, None).await.expect("shipping method").id
}

/// A store-pickup method and location: (method id, location id).
pub async fn pickup(t: &TestApp) -> (i64, i64) {
    let wh = warehouse(t).await;
    let code = format!("pick-{}", agora_app::crypto::random_code(6).to_lowercase());
    let input =
        NewShippingMethod { code, name: "Pickup".into(), rule: ShippingRule::Pickup, active: true, position: 1 };
    let method = cart::create_shipping_method(&t.app, &input, None).await.expect("pickup method").id;
    let loc = NewPickupLocation {
        name: "Store".into(),
        address: "1 Nanjing Rd".into(),
        hours: "9-18".into(),
        warehouse_id: Some(wh),
        active: true,
    };
    (method, cart::create_pickup_location(&t.app, &loc, None).await.expect("location").id)
}

fn address() -> Address {
    Address {
        recipient: "Li Mei".into(),
        phone: "+8613800138000".into(),
        country: "CN".into(),
        province: "Shanghai".into(),
        city: "Shanghai".into(),
        district: "Huangpu".into(),
        line1: "1 Nanjing Rd".into(),
        line2: String::new(),
        postal_code: "200001".into(),
    }
}

/// A cart ready to order: lines, e-mail (guests), address and method. Returns its token.
pub async fn cart(
    t: &TestApp,
    customer: Option<i64>,
    lines: &[(i64, i64)],
    method: i64,
    pickup_at: Option<i64>,
) -> String {
    let app = &t.app;
    let token = cart::create_cart(app, customer).await.expect("cart").token;
    for &(sku, qty) in lines {
        cart::add_line(app, &token, customer, sku, qty).await.expect("line");
    }
    if customer.is_none() {
        cart::set_email(app, &token, None, "guest@example.com").await.expect("email");
    }
    if pickup_at.is_none() {
        cart::set_address(app, &token, customer, AddressChoice::Inline(Box::new(address()))).await.expect("address");
    }
    cart::choose_shipping(app, &token, customer, method, pickup_at).await.expect("shipping");
    token
}

/// POST /api/v1/orders with an Idempotency-Key.
pub async fn place(t: &TestApp, cart_token: &str, key: Option<&str>, who: &Who) -> Response {
    let mut req = t.client.raw().post(t.client.url("/api/v1/orders")).json(&json!({"cart_token": cart_token}));
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    t.client.send(who.apply(req)).await
}

/// Places an order and returns (order id, who can read it).
pub async fn placed(t: &TestApp, cart_token: &str, bearer: Option<&str>) -> (i64, Who) {
    let who = bearer.map_or(Who::Nobody, |b| Who::Customer(b.to_string()));
    let key = agora_app::crypto::random_code(12);
    let r = place(t, cart_token, Some(&key), &who).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["orders"][0]["id"].as_i64().expect("order id");
    let who = match who {
        Who::Nobody => Who::Guest(r.body["access_token"].as_str().expect("access token").to_string()),
        w => w,
    };
    (id, who)
}

pub async fn get(t: &TestApp, path: &str, who: &Who) -> Response {
    t.client.send(who.apply(t.client.raw().get(t.client.url(path)))).await
}

pub async fn post(t: &TestApp, path: &str, body: &Value, who: &Who) -> Response {
    t.client.send(who.apply(t.client.raw().post(t.client.url(path)).json(body))).await
}

/// Starts a payment and returns the provider's payment id (the sandbox reference).
pub async fn start_payment(t: &TestApp, order: i64, who: &Who) -> String {
    let r = post(t, &format!("/api/v1/orders/{order}/payments"), &json!({}), who).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["provider_ref"].as_str().expect("provider_ref").to_string()
}

/// The buyer presses Pay (or Fail) on the sandbox page.
pub async fn sandbox(t: &TestApp, provider_ref: &str, action: &str) -> Response {
    let req = t
        .client
        .raw()
        .post(t.client.url(&format!("/sandbox/pay/{provider_ref}/{action}")))
        .header("content-type", "application/x-www-form-urlencoded");
    t.client.send(req).await
}

/// Pays an order in full through the sandbox and its notification job.
pub async fn pay(t: &TestApp, order: i64, who: &Who) {
    let reference = start_payment(t, order, who).await;
    assert_eq!(sandbox(t, &reference, "succeed").await.status, 200);
    t.run_jobs().await;
    let r = get(t, &format!("/api/v1/orders/{order}"), who).await;
    assert_eq!(r.body["status"], "paid", "{}", r.text);
}

/// POSTs `body` signed with `secret` as delivery `id` at `at_ms`.
pub async fn signed_post(t: &TestApp, path: &str, secret: &str, id: &str, at_ms: i64, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).expect("json");
    let h = agora_app::payments::signature::sign(secret, id, at_ms, &bytes);
    let req = t
        .client
        .raw()
        .post(t.client.url(path))
        .header("content-type", "application/json")
        .header("webhook-id", h.id)
        .header("webhook-timestamp", h.timestamp)
        .header("webhook-signature", h.signature)
        .body(bytes);
    t.client.send(req).await
}

/// Sum of the payment ledger of an order.
pub async fn ledger_sum(t: &TestApp, order: i64) -> i64 {
    sqlx::query_scalar::<_, Option<i64>>("SELECT CAST(SUM(amount) AS BIGINT) FROM payment_ledger WHERE order_id = $1")
        .bind(order)
        .fetch_one(t.app.db.reader())
        .await
        .expect("ledger")
        .unwrap_or(0)
}
