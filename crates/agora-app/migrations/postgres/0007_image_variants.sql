-- Resized variants of product images (thumbnail, medium), made at upload. A variant is a
-- media file like the original; an empty name means the original itself (it already fits,
-- or it was uploaded before variants existed). width/height are the original's, 0 if unknown.
ALTER TABLE product_images ADD COLUMN width BIGINT NOT NULL DEFAULT 0;
ALTER TABLE product_images ADD COLUMN height BIGINT NOT NULL DEFAULT 0;
ALTER TABLE product_images ADD COLUMN thumb_file TEXT NOT NULL DEFAULT '';
ALTER TABLE product_images ADD COLUMN medium_file TEXT NOT NULL DEFAULT '';
