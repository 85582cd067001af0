-- Home-page banners, managed in the admin console (replaces the `storefront_banners`
-- setting, whose same-site entries are copied here, in order, and which is then removed).
CREATE TABLE banners (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    image_url TEXT NOT NULL,
    href TEXT NOT NULL,
    alt_en TEXT NOT NULL DEFAULT '',
    alt_zh_cn TEXT NOT NULL DEFAULT '',
    alt_zh_tw TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    starts_at BIGINT,
    ends_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX banners_position ON banners (position, id);

INSERT INTO banners (image_url, href, alt_en, position, active, created_at, updated_at)
SELECT json_extract(j.value, '$.image_url'), json_extract(j.value, '$.href'),
       COALESCE(json_extract(j.value, '$.alt'), ''), CAST(j.key AS BIGINT), 1,
       CAST(strftime('%s', 'now') AS BIGINT) * 1000, CAST(strftime('%s', 'now') AS BIGINT) * 1000
FROM app_settings s, json_each(s.value) j
WHERE s.key = 'storefront_banners' AND json_valid(s.value) AND json_type(s.value) = 'array'
  AND json_type(j.value) = 'object'
  AND json_type(j.value, '$.href') = 'text' AND json_type(j.value, '$.image_url') = 'text'
  AND json_extract(j.value, '$.href') LIKE '/%' AND json_extract(j.value, '$.href') NOT LIKE '//%'
  AND json_extract(j.value, '$.image_url') LIKE '/%' AND json_extract(j.value, '$.image_url') NOT LIKE '//%'
ORDER BY CAST(j.key AS BIGINT);

DELETE FROM app_settings WHERE key = 'storefront_banners';
