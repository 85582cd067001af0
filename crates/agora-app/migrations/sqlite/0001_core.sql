-- Agora core schema (SQLite). The PostgreSQL twin lives in ../postgres with the same
-- tables and columns. Conventions: ids are 64-bit integers, timestamps are Unix epoch
-- milliseconds (BIGINT), money is integer minor units with a currency column, flags are
-- 0/1 integers, JSON documents are TEXT.

CREATE TABLE merchants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    created_at BIGINT NOT NULL
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT UNIQUE,
    phone TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    merchant_id BIGINT REFERENCES merchants(id),
    status TEXT NOT NULL DEFAULT 'active',
    failed_logins BIGINT NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Opaque session tokens; only the SHA-256 of a token is stored.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    user_agent TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_subject ON sessions (subject_kind, subject_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id BIGINT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    request_id TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- Domain events (outbox) consumed by analytics, risk, notifications and webhooks.
CREATE TABLE domain_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Background jobs: rows claimed by workers; they survive restarts.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    payload TEXT NOT NULL,
    run_at BIGINT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 10,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id BIGINT REFERENCES categories(id),
    path TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_zh_cn TEXT NOT NULL,
    name_zh_tw TEXT NOT NULL,
    image_url TEXT,
    position BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id, position);

CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    category_id BIGINT NOT NULL REFERENCES categories(id),
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'draft',
    publish_at BIGINT,
    brand TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    min_price BIGINT NOT NULL DEFAULT 0,
    sales_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    listed_at BIGINT
);
CREATE INDEX products_category ON products (category_id, status);
CREATE INDEX products_status ON products (status, publish_at);

CREATE TABLE product_texts (
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    subtitle TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, locale)
);

CREATE TABLE product_tags (
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (product_id, tag)
);
CREATE INDEX product_tags_tag ON product_tags (tag);

-- Descriptive attributes of a product (e.g. gender = women); SKU axes live on skus.attrs.
CREATE TABLE product_attributes (
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (product_id, name)
);

CREATE TABLE product_images (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    alt TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    byte_size BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX product_images_product ON product_images (product_id, position);

CREATE TABLE skus (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,
    attrs TEXT NOT NULL DEFAULT '{}',
    price BIGINT NOT NULL,
    list_price BIGINT,
    currency TEXT NOT NULL,
    weight_grams BIGINT NOT NULL DEFAULT 0,
    barcode TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX skus_product ON skus (product_id, position);

CREATE TABLE warehouses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    priority BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

-- available = on_hand - reserved; both only change together with a stock_ledger row.
CREATE TABLE stock (
    sku_id BIGINT NOT NULL REFERENCES skus(id) ON DELETE CASCADE,
    warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
    on_hand BIGINT NOT NULL DEFAULT 0,
    reserved BIGINT NOT NULL DEFAULT 0,
    low_threshold BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (sku_id, warehouse_id),
    CHECK (reserved >= 0),
    CHECK (on_hand >= reserved)
);

CREATE TABLE stock_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    on_hand_delta BIGINT NOT NULL,
    reserved_delta BIGINT NOT NULL,
    ref_type TEXT NOT NULL DEFAULT '',
    ref_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    staff_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX stock_ledger_sku ON stock_ledger (sku_id, warehouse_id, id);

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id BIGINT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    recipient TEXT NOT NULL,
    phone TEXT NOT NULL,
    country TEXT NOT NULL,
    province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL,
    district TEXT NOT NULL DEFAULT '',
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    is_default BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX addresses_customer ON addresses (customer_id);

CREATE TABLE shipping_methods (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    rule TEXT NOT NULL,
    currency TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    position BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE pickup_locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    hours TEXT NOT NULL DEFAULT '',
    warehouse_id BIGINT REFERENCES warehouses(id),
    active BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE carts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token TEXT NOT NULL UNIQUE,
    customer_id BIGINT REFERENCES customers(id),
    currency TEXT NOT NULL,
    email TEXT,
    shipping_address TEXT,
    shipping_method_id BIGINT REFERENCES shipping_methods(id),
    pickup_location_id BIGINT REFERENCES pickup_locations(id),
    status TEXT NOT NULL DEFAULT 'open',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX carts_customer ON carts (customer_id, status);

CREATE TABLE cart_lines (
    cart_id BIGINT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
    sku_id BIGINT NOT NULL REFERENCES skus(id),
    quantity BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (cart_id, sku_id)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number TEXT NOT NULL UNIQUE,
    merchant_id BIGINT NOT NULL REFERENCES merchants(id),
    customer_id BIGINT REFERENCES customers(id),
    access_token_hash TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    subtotal BIGINT NOT NULL,
    discount_total BIGINT NOT NULL,
    shipping_total BIGINT NOT NULL,
    tax_total BIGINT NOT NULL,
    grand_total BIGINT NOT NULL,
    paid_total BIGINT NOT NULL DEFAULT 0,
    refunded_total BIGINT NOT NULL DEFAULT 0,
    discounts TEXT NOT NULL DEFAULT '[]',
    shipping_method TEXT NOT NULL,
    shipping_address TEXT,
    pickup_location_id BIGINT,
    pickup_code TEXT,
    cart_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    paid_at BIGINT,
    shipped_at BIGINT,
    delivered_at BIGINT,
    completed_at BIGINT,
    cancelled_at BIGINT,
    cancel_reason TEXT
);
CREATE INDEX orders_customer ON orders (customer_id, id);
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_merchant ON orders (merchant_id, id);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    sku_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    warehouse_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    sku_code TEXT NOT NULL,
    attrs TEXT NOT NULL DEFAULT '{}',
    unit_price BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    subtotal BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    total BIGINT NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id);

CREATE TABLE order_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    from_status TEXT,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX order_history_order ON order_history (order_id, id);

-- Idempotency keys for order creation: same key + same body → same order.
CREATE TABLE idempotency_keys (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    order_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    provider TEXT NOT NULL,
    provider_ref TEXT NOT NULL UNIQUE,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    pay_url TEXT NOT NULL,
    qr_payload TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_event_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX payments_order ON payments (order_id);

CREATE TABLE refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    payment_id BIGINT NOT NULL REFERENCES payments(id),
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    provider_ref TEXT,
    staff_id BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id);

-- Money movements per order: captures positive, refunds negative; sums reconcile with orders.
CREATE TABLE payment_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL,
    payment_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    provider_event_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX payment_ledger_order ON payment_ledger (order_id);

-- Every provider notification id seen, so duplicates are applied exactly once.
CREATE TABLE webhook_receipts (
    source TEXT NOT NULL,
    event_id TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (source, event_id)
);

-- State of the built-in sandbox payment provider (a simulated third-party wallet).
CREATE TABLE sandbox_payments (
    id TEXT PRIMARY KEY,
    merchant_ref TEXT NOT NULL,
    amount BIGINT NOT NULL,
    refunded BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL,
    subject TEXT NOT NULL,
    notify_url TEXT NOT NULL,
    return_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sandbox_notifications (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL,
    body TEXT NOT NULL,
    notify_url TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE shipments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    carrier TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (carrier, tracking_number)
);
CREATE INDEX shipments_order ON shipments (order_id);

CREATE TABLE shipment_lines (
    shipment_id BIGINT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    order_line_id BIGINT NOT NULL REFERENCES order_lines(id),
    quantity BIGINT NOT NULL,
    PRIMARY KEY (shipment_id, order_line_id)
);

CREATE TABLE shipment_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    shipment_id BIGINT NOT NULL REFERENCES shipments(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    external_id TEXT,
    occurred_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX shipment_events_shipment ON shipment_events (shipment_id, occurred_at);
CREATE UNIQUE INDEX shipment_events_external ON shipment_events (shipment_id, external_id);

-- Shop-wide settings and generated secrets, shared by every process.
CREATE TABLE app_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
