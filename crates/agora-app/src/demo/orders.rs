//! Demo customers and their orders, taken through the real purchase loop: cart, order,
//! payment on the sandbox wallet (notified to the shop's webhook), shipment, tracking,
//! receipt, store pickup.

use agora_domain::OrderStatus;

use super::DEMO_CUSTOMER_PASSWORD;
use super::rng::Rng;
use crate::App;
use crate::audit::Actor;
use crate::auth::{self, Registration};
use crate::cart::{self, Address, AddressChoice};
use crate::error::{AppError, AppResult};
use crate::fulfilment::{self, NewShipment, NewTrackingEvent};
use crate::orders::{self, OrderRow, Viewer};
use crate::payments::{self, sandbox};

/// How far each demo order is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Unpaid,
    Paid,
    Shipped,
    Delivered,
    Completed,
}

const STAGES: [(Stage, usize); 5] =
    [(Stage::Completed, 12), (Stage::Delivered, 6), (Stage::Shipped, 6), (Stage::Paid, 6), (Stage::Unpaid, 4)];

fn email(i: usize) -> String {
    format!("customer{:02}@demo.agora.shop", i + 1)
}

/// Registers `n` customers; returns how many.
pub(super) async fn customers(app: &App, n: usize) -> AppResult<usize> {
    for i in 0..n {
        let input = Registration {
            email: Some(email(i)),
            phone: None,
            password: DEMO_CUSTOMER_PASSWORD.into(),
            display_name: Some(format!("Demo customer {}", i + 1)),
        };
        auth::register_customer(app, &input, "agora demo").await?;
    }
    Ok(n)
}

async fn customer_ids(app: &App) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM customers ORDER BY id").fetch_all(app.db.reader()).await?)
}

async fn sellable_skus(app: &App) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM skus s JOIN products p ON p.id = s.product_id WHERE p.status = 'listed' AND s.active = 1 ORDER BY s.id",
    )
    .fetch_all(app.db.reader())
    .await?)
}

async fn method_id(app: &App, code: &str) -> AppResult<i64> {
    cart::list_shipping_methods(app, false)
        .await?
        .into_iter()
        .find(|m| m.code == code)
        .map(|m| m.id)
        .ok_or(AppError::not_found("shipping method"))
}

fn address(rng: &mut Rng, n: usize) -> Address {
    let cities = [("上海市", "上海"), ("北京市", "北京"), ("广东省", "深圳"), ("浙江省", "杭州")];
    let (province, city) = *rng.pick(&cities);
    Address {
        recipient: format!("顾客{}", n + 1),
        phone: format!("1380013{:04}", 8000 + n),
        country: "CN".into(),
        province: province.into(),
        city: city.into(),
        district: String::new(),
        line1: format!("人民路 {} 号", rng.range(1, 999)),
        line2: String::new(),
        postal_code: "200000".into(),
    }
}

/// Places and advances the demo orders; returns how many were placed.
pub(super) async fn load(app: &App, actor: &Actor, rng: &mut Rng, customers: usize) -> AppResult<usize> {
    let customer_ids = customer_ids(app).await?;
    let skus = sellable_skus(app).await?;
    if customer_ids.is_empty() || skus.is_empty() {
        return Ok(0);
    }
    let standard = method_id(app, "standard").await?;
    let pickup = method_id(app, "pickup").await?;
    let pickup_location = cart::list_pickup_locations(app, false).await?.first().map(|p| p.id);
    let mut placed = Vec::new();
    let mut n = 0;
    for (stage, count) in STAGES {
        for _ in 0..count {
            let customer = customer_ids[n % customers.max(1)];
            let use_pickup = n % 7 == 3 && pickup_location.is_some();
            let order = place(
                app,
                rng,
                customer,
                &skus,
                n,
                if use_pickup { (pickup, pickup_location) } else { (standard, None) },
            )
            .await?;
            if stage != Stage::Unpaid {
                let payment = payments::create_payment(app, order.id, &Viewer::Customer(customer)).await?;
                sandbox::complete(app, &payment.provider_ref, true).await?;
            }
            placed.push((order.id, customer, stage, use_pickup));
            n += 1;
        }
    }
    // Deliver the wallet's notifications to the shop's webhook (the server is serving).
    crate::jobs::run_due(app).await?;
    for (order_id, customer, stage, use_pickup) in placed.iter().copied() {
        advance(app, actor, order_id, customer, stage, use_pickup).await?;
    }
    Ok(placed.len())
}

async fn place(
    app: &App,
    rng: &mut Rng,
    customer: i64,
    skus: &[i64],
    n: usize,
    shipping: (i64, Option<i64>),
) -> AppResult<OrderRow> {
    let c = Some(customer);
    let cart = cart::create_cart(app, c).await?;
    for _ in 0..rng.range(1, 3) {
        let sku = *rng.pick(skus);
        // A SKU that sold out meanwhile is simply skipped, as a shopper would.
        let _ = cart::add_line(app, &cart.token, c, sku, rng.range(1, 2)).await;
    }
    cart::set_address(app, &cart.token, c, AddressChoice::Inline(Box::new(address(rng, n)))).await?;
    cart::choose_shipping(app, &cart.token, c, shipping.0, shipping.1).await?;
    let placed = orders::place(app, &cart.token, &format!("demo-order-{n}"), c).await?;
    placed.orders.into_iter().next().ok_or(AppError::Internal("demo order not placed".into()))
}

async fn advance(app: &App, actor: &Actor, order_id: i64, customer: i64, stage: Stage, pickup: bool) -> AppResult<()> {
    if matches!(stage, Stage::Unpaid | Stage::Paid) {
        return Ok(());
    }
    let order = orders::find_for(app, order_id, &Viewer::Staff).await?;
    if order.status()? != OrderStatus::Paid {
        return Ok(());
    }
    if pickup {
        let code = order.pickup_code.clone().unwrap_or_default();
        fulfilment::pickup(app, order_id, &code, actor).await?;
        return Ok(());
    }
    let tracking = format!("SF{:010}", 1_000_000 + order_id);
    let shipment = NewShipment { carrier: "sf-express".into(), tracking_number: tracking, lines: None };
    let shipment = fulfilment::create_shipment(app, order_id, &shipment, actor).await?;
    let event = |status: &str, description: &str, location: &str| NewTrackingEvent {
        status: status.into(),
        description: description.into(),
        location: location.into(),
        occurred_at: None,
    };
    fulfilment::add_event(
        app,
        shipment.id,
        &event("in_transit", "Departed sorting centre 已离开分拣中心", "上海"),
        actor,
    )
    .await?;
    if matches!(stage, Stage::Delivered | Stage::Completed) {
        fulfilment::add_event(app, shipment.id, &event("delivered", "Delivered 已签收", "上海"), actor).await?;
    }
    if stage == Stage::Completed {
        orders::confirm_receipt(app, order_id, &Viewer::Customer(customer)).await?;
    }
    Ok(())
}
