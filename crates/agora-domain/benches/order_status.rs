//! Order state transitions: the happy path (pay, ship, deliver, complete) and every
//! status × event pair, legal or not. `cargo bench -p agora-domain`.

use agora_domain::{OrderEvent, OrderStatus};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn happy_path() -> Option<OrderStatus> {
    let events = [OrderEvent::Pay, OrderEvent::Ship, OrderEvent::Deliver, OrderEvent::Complete];
    events.iter().try_fold(black_box(OrderStatus::PendingPayment), |s, e| s.apply(*e).ok())
}

fn every_pair() -> usize {
    let mut legal = 0;
    for status in OrderStatus::ALL {
        for event in OrderEvent::ALL {
            legal += usize::from(black_box(status).apply(black_box(event)).is_ok());
        }
    }
    legal
}

fn transitions(c: &mut Criterion) {
    assert_eq!(happy_path(), Some(OrderStatus::Completed));
    c.bench_function("order/happy_path", |b| b.iter(happy_path));
    c.bench_function("order/all_status_event_pairs", |b| b.iter(every_pair));
}

criterion_group!(benches, transitions);
criterion_main!(benches);
