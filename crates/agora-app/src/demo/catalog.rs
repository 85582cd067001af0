//! Demo categories, products, SKUs, stock and shipping options.

use std::collections::BTreeMap;

use agora_domain::ShippingRule;

use super::Loaded;
use super::content::{ADJECTIVES, COLOURS, Leaf, Name, ROOTS, SIZES, TAGS};
use super::rng::Rng;
use crate::App;
use crate::audit::Actor;
use crate::cart::{self, NewPickupLocation, NewShippingMethod};
use crate::catalog::categories::{self, NamesInput, NewCategory};
use crate::catalog::products::{self, NewProduct, TextInput};
use crate::catalog::{lifecycle, skus::Matrix};
use crate::error::AppResult;
use crate::inventory::movements::{self, StockIn};
use crate::inventory::warehouses::{self, NewWarehouse};

const PRODUCTS_PER_LEAF: usize = 10;

fn names(n: &Name) -> NamesInput {
    NamesInput { en: n.en.into(), zh_cn: Some(n.zh_cn.into()), zh_tw: Some(n.zh_tw.into()) }
}

pub(super) async fn load(app: &App, actor: &Actor, rng: &mut Rng, loaded: &mut Loaded) -> AppResult<()> {
    let main =
        warehouses::create(app, actor, &warehouse("SH-01", "Shanghai main warehouse", "上海市浦东新区", 10)).await?;
    let south = warehouses::create(app, actor, &warehouse("GZ-01", "Guangzhou warehouse", "广州市白云区", 5)).await?;
    shipping(app, actor, main.id).await?;
    for (r, root) in ROOTS.iter().enumerate() {
        let parent = NewCategory {
            parent_id: None,
            slug: root.slug.into(),
            names: names(&root.name),
            image_url: None,
            position: r as i64,
        };
        let parent = categories::create(app, actor, &parent).await?;
        loaded.categories += 1;
        for (l, leaf) in root.leaves.iter().enumerate() {
            let input = NewCategory {
                parent_id: Some(parent.id),
                slug: leaf.slug.into(),
                names: names(&leaf.name),
                image_url: None,
                position: l as i64,
            };
            let category = categories::create(app, actor, &input).await?;
            loaded.categories += 1;
            for i in 0..PRODUCTS_PER_LEAF {
                let product = products::create(app, actor, &product(rng, leaf, category.id, i)).await?;
                let product = lifecycle::publish(app, actor, product.id, None).await?;
                loaded.products += 1;
                for sku in &product.skus {
                    loaded.skus += 1;
                    stock_in(app, actor, sku.id, main.id, rng.range(20, 200)).await?;
                    if rng.chance(60) {
                        stock_in(app, actor, sku.id, south.id, rng.range(5, 60)).await?;
                    }
                }
            }
        }
    }
    Ok(())
}

fn warehouse(code: &str, name: &str, address: &str, priority: i64) -> NewWarehouse {
    NewWarehouse { code: code.into(), name: name.into(), address: address.into(), priority }
}

async fn stock_in(app: &App, actor: &Actor, sku_id: i64, warehouse_id: i64, quantity: i64) -> AppResult<()> {
    let input =
        StockIn { sku_id, warehouse_id, quantity, reference: "DEMO-OPENING".into(), reason: "opening stock".into() };
    movements::inbound(app, actor, &input).await?;
    Ok(())
}

fn product(rng: &mut Rng, leaf: &Leaf, category_id: i64, i: usize) -> NewProduct {
    let adjective = ADJECTIVES[i % ADJECTIVES.len()];
    let noun = leaf.nouns[i % leaf.nouns.len()];
    let mut texts = BTreeMap::new();
    let text = |title: String, description: String| TextInput { title, subtitle: String::new(), description };
    texts.insert(
        "en".to_string(),
        text(
            format!("{} {}", adjective.en, noun.en),
            format!("{} {} from the demo shop's {} range.", adjective.en, noun.en, leaf.name.en),
        ),
    );
    texts.insert(
        "zh-CN".to_string(),
        text(
            format!("{}{}", adjective.zh_cn, noun.zh_cn),
            format!("演示商店{}系列：{}{}。", leaf.name.zh_cn, adjective.zh_cn, noun.zh_cn),
        ),
    );
    texts.insert(
        "zh-TW".to_string(),
        text(
            format!("{}{}", adjective.zh_tw, noun.zh_tw),
            format!("示範商店{}系列：{}{}。", leaf.name.zh_tw, adjective.zh_tw, noun.zh_tw),
        ),
    );
    let price = (rng.range(leaf.price.0, leaf.price.1) / 100) * 100 - 100 + 90;
    let list_price = rng.chance(40).then_some(price + price / 5);
    let mut axes = BTreeMap::new();
    let first = rng.range(0, COLOURS.len() as i64 - 1) as usize;
    let colours: Vec<String> = (0..3).map(|k| COLOURS[(first + k) % COLOURS.len()].en.to_lowercase()).collect();
    axes.insert("color".to_string(), colours);
    if leaf.sized {
        axes.insert("size".to_string(), SIZES.iter().map(|s| s.to_string()).collect());
    }
    let tags = (0..rng.range(1, 3)).map(|_| rng.pick(TAGS).to_string()).collect::<std::collections::BTreeSet<_>>();
    NewProduct {
        category_id,
        slug: Some(format!("{}-{}-{}", leaf.slug, adjective.en.to_lowercase(), i + 1)),
        brand: "Agora Demo".into(),
        texts,
        tags: tags.into_iter().collect(),
        attributes: BTreeMap::new(),
        currency: None,
        sku_matrix: Some(Matrix { axes, price, list_price, weight_grams: leaf.weight_grams }),
    }
}

async fn shipping(app: &App, actor: &Actor, warehouse_id: i64) -> AppResult<()> {
    let methods = [
        ("standard", "Standard delivery 标准快递", ShippingRule::FreeOver { fee: 1000, threshold: 9900 }),
        (
            "express",
            "Express by weight 顺丰速运",
            ShippingRule::ByWeight { first_grams: 1000, first_fee: 1800, step_grams: 1000, step_fee: 600 },
        ),
        ("pickup", "Store pickup 门店自提", ShippingRule::Pickup),
    ];
    for (position, (code, name, rule)) in methods.into_iter().enumerate() {
        let input =
            NewShippingMethod { code: code.into(), name: name.into(), rule, active: true, position: position as i64 };
        cart::create_shipping_method(app, &input, Some(actor)).await?;
    }
    let store = NewPickupLocation {
        name: "Agora Jing'an store 静安门店".into(),
        address: "上海市静安区南京西路 1000 号".into(),
        hours: "10:00-22:00".into(),
        warehouse_id: Some(warehouse_id),
        active: true,
    };
    cart::create_pickup_location(app, &store, Some(actor)).await?;
    Ok(())
}
