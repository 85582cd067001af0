use std::collections::{BTreeSet, VecDeque};

use proptest::prelude::*;

use super::*;
use crate::test_support::{from_value, to_json, to_value};

use OrderEvent as E;
use OrderStatus as S;

/// The complete legal transition table, written independently of `apply`.
const LEGAL: [(OrderStatus, OrderEvent, OrderStatus); 10] = [
    (S::PendingPayment, E::Pay, S::Paid),
    (S::PendingPayment, E::Cancel, S::Cancelled),
    (S::Paid, E::Ship, S::Shipped),
    (S::Paid, E::Cancel, S::Cancelled),
    (S::Shipped, E::Deliver, S::Delivered),
    (S::Delivered, E::Complete, S::Completed),
    (S::Paid, E::RefundFull, S::Refunded),
    (S::Shipped, E::RefundFull, S::Refunded),
    (S::Delivered, E::RefundFull, S::Refunded),
    (S::Completed, E::RefundFull, S::Refunded),
];

#[test]
fn apply_matches_table_exhaustively() {
    for from in OrderStatus::ALL {
        for event in OrderEvent::ALL {
            let expected = LEGAL.iter().find(|(f, e, _)| *f == from && *e == event).map(|(_, _, to)| *to);
            match expected {
                Some(to) => assert_eq!(from.apply(event), Ok(to), "{from} {event}"),
                None => assert_eq!(from.apply(event), Err(IllegalTransition { from, event }), "{from} {event}"),
            }
        }
    }
}

#[test]
fn notable_illegal_transitions() {
    assert!(S::Paid.apply(E::Complete).is_err());
    assert!(S::PendingPayment.apply(E::Ship).is_err());
    assert!(S::Shipped.apply(E::Cancel).is_err());
    assert!(S::PendingPayment.apply(E::RefundFull).is_err());
    assert!(S::Paid.apply(E::Pay).is_err());
}

#[test]
fn illegal_transition_message() {
    let err = S::PendingPayment.apply(E::Ship).unwrap_err();
    assert_eq!(err.to_string(), "cannot ship an order that is pending_payment");
    let err = S::Cancelled.apply(E::RefundFull).unwrap_err();
    assert_eq!(err.to_string(), "cannot refund an order that is cancelled");
}

#[test]
fn terminal_means_no_way_out() {
    for status in OrderStatus::ALL {
        assert_eq!(status.is_terminal(), status.allowed_events().is_empty(), "{status}");
    }
    assert!(S::Cancelled.is_terminal());
    assert!(S::Refunded.is_terminal());
    assert!(!S::Completed.is_terminal());
    assert_eq!(S::Completed.allowed_events(), vec![E::RefundFull]);
    assert_eq!(S::PendingPayment.allowed_events(), vec![E::Pay, E::Cancel]);
    assert!(S::Paid.can(E::Ship));
}

#[test]
fn names_and_serde() {
    assert_eq!(S::PendingPayment.as_str(), "pending_payment");
    for status in OrderStatus::ALL {
        assert_eq!(OrderStatus::parse(status.as_str()), Ok(status));
        assert_eq!(to_json(&status), format!("\"{}\"", status.as_str()));
        assert_eq!(from_value::<OrderStatus>(to_value(status.as_str())).unwrap(), status);
    }
    for event in OrderEvent::ALL {
        assert_eq!(OrderEvent::parse(event.as_str()), Ok(event));
        assert_eq!(to_json(&event), format!("\"{}\"", event.as_str()));
    }
    assert_eq!(OrderStatus::parse("Paid").unwrap_err().field(), Some("status"));
    assert_eq!(OrderEvent::parse("refund").unwrap_err().field(), Some("event"));
}

#[test]
fn reachable_states_are_exactly_all_statuses() {
    let mut seen = BTreeSet::from([S::PendingPayment.as_str()]);
    let mut queue = VecDeque::from([S::PendingPayment]);
    while let Some(status) = queue.pop_front() {
        for event in OrderEvent::ALL {
            if let Ok(next) = status.apply(event)
                && seen.insert(next.as_str())
            {
                queue.push_back(next);
            }
        }
    }
    let all: BTreeSet<_> = OrderStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(seen, all);
}

fn any_event() -> impl Strategy<Value = OrderEvent> {
    prop::sample::select(OrderEvent::ALL.to_vec())
}

proptest! {
    #[test]
    fn random_event_sequences_respect_the_lifecycle(
        events in prop::collection::vec(any_event(), 0..40)
    ) {
        let mut status = S::PendingPayment;
        let mut visited = vec![status];
        for event in events {
            let result = status.apply(event);
            match status {
                S::Cancelled | S::Refunded => prop_assert!(result.is_err()),
                S::Completed => prop_assert_eq!(result.is_ok(), event == E::RefundFull),
                _ => {}
            }
            match result {
                Ok(next) => {
                    prop_assert!(OrderStatus::ALL.contains(&next));
                    if next == S::Shipped {
                        prop_assert!(visited.contains(&S::Paid));
                    }
                    if next == S::Completed {
                        prop_assert!(visited.contains(&S::Delivered));
                    }
                    status = next;
                    visited.push(next);
                }
                Err(err) => {
                    prop_assert_eq!(err, IllegalTransition { from: status, event });
                }
            }
            if visited.iter().any(OrderStatus::is_terminal) {
                prop_assert!(status.is_terminal());
            }
        }
    }
}
