-- Stock held for a document (an order, later a flash-sale hold…), per SKU and warehouse.
-- status: held → released (cancel/timeout) or fulfilled (shipped, deducted from on_hand).
CREATE TABLE stock_reservations (
    ref_type TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    sku_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'held',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (ref_type, ref_id, sku_id, warehouse_id)
);
CREATE INDEX stock_reservations_sku ON stock_reservations (sku_id, status);
