-- A customer has at most one open cart (guest carts have no customer and are not limited).
CREATE UNIQUE INDEX carts_one_open_per_customer ON carts (customer_id) WHERE status = 'open' AND customer_id IS NOT NULL;
