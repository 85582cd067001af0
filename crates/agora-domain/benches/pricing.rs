//! The pricing function on carts of 1, 10 and 100 lines with a line discount, an order
//! percentage discount, free shipping over a threshold and tax. `cargo bench -p agora-domain`.

use agora_domain::{Currency, Discount, DiscountKind, PriceLine, PricingInput, ShippingRule, TaxMode, TaxRule, price};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn input(lines: i64) -> PricingInput {
    let lines: Vec<PriceLine> = (0..lines)
        .map(|i| PriceLine {
            sku_id: i + 1,
            product_id: i / 2 + 1,
            category_id: i % 7 + 1,
            unit_price: 990 + i * 137,
            quantity: i % 3 + 1,
            weight_grams: 200 + i * 10,
        })
        .collect();
    let discounts = vec![
        Discount {
            code: "SKU1".into(),
            label: "100 off SKU 1".into(),
            kind: DiscountKind::LineAmount { sku_id: 1, amount_per_unit: 100 },
        },
        Discount {
            code: "TEN".into(),
            label: "10% off, at most 50".into(),
            kind: DiscountKind::OrderPercent { basis_points: 1_000, cap: Some(5_000) },
        },
        Discount { code: "SHIP".into(), label: "free shipping".into(), kind: DiscountKind::FreeShipping },
    ];
    PricingInput {
        currency: Currency::CNY,
        lines,
        discounts,
        shipping: ShippingRule::FreeOver { fee: 1_000, threshold: 9_900 },
        tax: TaxRule { basis_points: 600, mode: TaxMode::Exclusive },
    }
}

fn pricing(c: &mut Criterion) {
    let mut group = c.benchmark_group("price");
    for n in [1, 10, 100] {
        let input = input(n);
        assert!(price(&input).is_ok(), "benchmark input must be valid");
        group.bench_with_input(BenchmarkId::new("lines", n), &input, |b, input| {
            b.iter(|| price(std::hint::black_box(input)))
        });
    }
    group.finish();
}

criterion_group!(benches, pricing);
criterion_main!(benches);
