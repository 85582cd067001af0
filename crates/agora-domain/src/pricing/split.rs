//! Splitting one priced cart into several orders (one per merchant) without re-pricing:
//! every amount of every part comes from the cart's [`Totals`], so the parts add up to
//! exactly what the buyer saw.

use super::{TaxMode, Totals, compute};
use crate::error::DomainError;

impl Totals {
    /// The totals of the lines at `indexes` (positions in `self.lines`) as one order.
    /// `with_shipping` charges this part the cart's shipping (and its applied discounts):
    /// give it to exactly one part. `mode` must be the tax mode the cart was priced with.
    pub fn part(&self, indexes: &[usize], with_shipping: bool, mode: TaxMode) -> Result<Totals, DomainError> {
        let lines: Vec<_> = indexes.iter().filter_map(|&i| self.lines.get(i).cloned()).collect();
        if lines.len() != indexes.len() {
            return Err(DomainError::invalid("lines", "no such line in the cart"));
        }
        let sum = |f: fn(&super::LineTotal) -> i64| lines.iter().map(|l| i128::from(f(l))).sum::<i128>();
        let shipping = if with_shipping { self.shipping_total } else { 0 };
        let (items, tax) = (sum(|l| l.total), sum(|l| l.tax));
        let fit = |v: i128| i64::try_from(v).map_err(|_| DomainError::Overflow);
        Ok(Totals {
            currency: self.currency,
            subtotal: fit(sum(|l| l.subtotal))?,
            discount_total: fit(sum(|l| l.discount))?,
            shipping_total: shipping,
            tax_total: fit(tax)?,
            grand_total: fit(compute::grand(items, i128::from(shipping), tax, mode))?,
            applied: if with_shipping { self.applied.clone() } else { Vec::new() },
            lines,
        })
    }
}
