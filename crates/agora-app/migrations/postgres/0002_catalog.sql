-- Catalog: the default merchant products belong to, the catalog revision counter that
-- tells every process when to refresh its in-memory catalog, and listing indexes.
INSERT INTO merchants (id, name, status, created_at) VALUES (1, 'Agora', 'active', 0) ON CONFLICT (id) DO NOTHING;
INSERT INTO app_settings (key, value) VALUES ('catalog_revision', '0') ON CONFLICT (key) DO NOTHING;
CREATE INDEX skus_price ON skus (product_id, active, price);
CREATE INDEX categories_path ON categories (path);
-- The explicit id above does not advance the identity sequence.
SELECT setval(pg_get_serial_sequence('merchants', 'id'), GREATEST((SELECT MAX(id) FROM merchants), 1));
