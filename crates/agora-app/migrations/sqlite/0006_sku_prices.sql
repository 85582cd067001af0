-- Prices of a SKU in further currencies. `skus.price`/`skus.currency` stay the SKU's own
-- (primary) price; a row here adds the price in one other currency (e.g. USD beside CNY).
CREATE TABLE sku_prices (
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    currency TEXT NOT NULL,
    price BIGINT NOT NULL,
    list_price BIGINT,
    PRIMARY KEY (sku_id, currency)
);
