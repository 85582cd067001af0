//! Image upload, resized variants, serving with cache headers, reorder, alt text, delete.

use agora_testkit::TestApp;
use serde_json::json;

use super::{category, listed};

both_backends!(image_upload_and_serving, image_management, image_variants);

const BOUNDARY: &str = "agora-test-boundary";

/// A real picture of `w`×`h` pixels in `format`; `seed` varies the pixels (distinct files).
pub fn picture(w: u32, h: u32, seed: u8, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x as u8).wrapping_add(seed), y as u8, seed]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// A real PNG; distinct per `seed`.
pub fn png(w: u32, h: u32, seed: u8) -> Vec<u8> {
    picture(w, h, seed, image::ImageFormat::Png)
}

fn multipart(file: &[u8], alt: Option<&str>) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n");
    if let Some(alt) = alt {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n{alt}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(t: &TestApp, token: &str, product: i64, file: &[u8], alt: Option<&str>) -> agora_testkit::Response {
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    t.client.post_raw(&format!("/api/v1/admin/products/{product}/images"), &ct, multipart(file, alt), Some(token)).await
}

async fn fetch(t: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let res = t.client.raw().get(t.client.url(path)).send().await.unwrap();
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    (status, headers, res.bytes().await.unwrap().to_vec())
}

async fn image_upload_and_serving(t: &TestApp) {
    let admin = t.staff_token("operator").await;
    let cat = category(t, &admin, "a", None).await;
    let id = listed(t, &admin, cat, "Lamp", json!({}), 100).await;
    let bytes = png(40, 30, 1);
    let r = upload(t, &admin, id, &bytes, Some("A lamp")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let image = &r.body["images"][0];
    assert_eq!(image["alt"], "A lamp");
    assert_eq!(image["content_type"], "image/png");
    assert_eq!(image["byte_size"], bytes.len());
    let url = image["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/media/") && url.ends_with(".png"), "{url}");
    let (status, headers, served) = fetch(t, &url).await;
    assert_eq!(status, 200);
    assert_eq!(served, bytes, "served bytes are identical");
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
    // Shoppers see the image in listing and detail right away.
    let list = t.client.get("/api/v1/products", None).await;
    assert_eq!(list.body["items"][0]["image"], url);
    let detail = t.client.get(&format!("/api/v1/products/{id}"), None).await;
    assert_eq!(detail.body["images"][0]["url"], url);
    // Other formats by magic bytes.
    for (format, ext) in
        [(image::ImageFormat::Jpeg, "jpg"), (image::ImageFormat::Gif, "gif"), (image::ImageFormat::WebP, "webp")]
    {
        let file = picture(30, 20, 2, format);
        let r = upload(t, &admin, id, &file, None).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let last = r.body["images"].as_array().unwrap().last().unwrap().clone();
        assert!(last["url"].as_str().unwrap().ends_with(ext));
    }
    // Bad type, missing file, too large: refused, nothing written.
    let before = t.count("product_images").await;
    let r = upload(t, &admin, id, b"%PDF-1.4 not an image", None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("file"));
    let r = upload(t, &admin, id, b"\x89PNG\r\n\x1a\n but not decodable", None).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("file"), "right magic bytes are not enough: {}", r.text);
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let empty = format!("--{BOUNDARY}--\r\n").into_bytes();
    let r = t.client.post_raw(&format!("/api/v1/admin/products/{id}/images"), &ct, empty, Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    let mut big = png(1, 1, 0);
    big.resize(10 * 1024 * 1024 + 200 * 1024, 7);
    let r = upload(t, &admin, id, &big, None).await;
    r.assert_problem(413, "payload_too_large");
    upload(t, &admin, 999, &bytes, None).await.assert_problem(404, "not_found");
    let support = t.staff_token("support").await;
    upload(t, &support, id, &bytes, None).await.assert_problem(403, "forbidden");
    assert_eq!(t.count("product_images").await, before);
    // Unknown and hostile media names are 404 problems.
    for path in [
        "/media/0000000000000000000000000000000000000000000000000000000000000000.png",
        "/media/..%2F..%2Fetc%2Fpasswd",
        "/media/test.db",
    ] {
        let r = t.client.get(path, None).await;
        r.assert_problem(404, "not_found");
    }
}

async fn image_management(t: &TestApp) {
    let c = &t.client;
    let admin = t.staff_token("admin").await;
    let cat = category(t, &admin, "a", None).await;
    let id = listed(t, &admin, cat, "Lamp", json!({}), 100).await;
    upload(t, &admin, id, &png(10, 10, 1), None).await;
    upload(t, &admin, id, &png(10, 10, 2), None).await;
    let r = upload(t, &admin, id, &png(10, 10, 3), None).await;
    let ids: Vec<i64> = r.body["images"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    let r = c.put(&format!("/api/v1/admin/products/{id}/images/order"), &json!({"ids": reversed}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let now: Vec<i64> = r.body["images"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(now, reversed);
    let first_url = r.body["images"][0]["url"].clone();
    let list = c.get("/api/v1/products", None).await;
    assert_eq!(list.body["items"][0]["image"], first_url, "first image follows the new order");
    let r = c.put(&format!("/api/v1/admin/products/{id}/images/order"), &json!({"ids": [ids[0]]}), Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    assert!(r.names_field("ids"));
    let r = c.patch(&format!("/api/v1/admin/images/{}", ids[1]), &json!({"alt": "side view"}), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["images"].as_array().unwrap().iter().any(|i| i["alt"] == "side view"));
    let gone_url = r.body["images"].as_array().unwrap().iter().find(|i| i["id"] == ids[2]).unwrap()["url"]
        .as_str()
        .unwrap()
        .to_string();
    let r = c.delete(&format!("/api/v1/admin/images/{}", ids[2]), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["images"].as_array().unwrap().len(), 2);
    c.get(&gone_url, None).await.assert_problem(404, "not_found");
    c.delete(&format!("/api/v1/admin/images/{}", ids[2]), Some(&admin)).await.assert_problem(404, "not_found");
    let detail = c.get(&format!("/api/v1/products/{id}"), None).await;
    assert_eq!(detail.body["images"].as_array().unwrap().len(), 2);
}

/// Fetches a media URL, checks it is served immutable, and decodes it: (content type, width, height).
async fn served_picture(t: &TestApp, url: &str) -> (String, u32, u32) {
    let (status, headers, bytes) = fetch(t, url).await;
    assert_eq!(status, 200, "{url}");
    assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable", "{url}");
    let img = image::load_from_memory(&bytes).unwrap();
    (headers["content-type"].to_str().unwrap().to_string(), img.width(), img.height())
}

fn variant(image: &serde_json::Value, name: &str) -> (String, u32, u32) {
    let v = &image[name];
    (v["url"].as_str().unwrap().to_string(), v["width"].as_u64().unwrap() as u32, v["height"].as_u64().unwrap() as u32)
}

async fn image_variants(t: &TestApp) {
    let admin = t.staff_token("operator").await;
    let cat = category(t, &admin, "a", None).await;
    let id = listed(t, &admin, cat, "Lamp", json!({}), 100).await;
    // A large PNG and a large JPEG: both variants are made, in the original's kind, never
    // larger than 200 / 800 px on the longest side, aspect ratio kept.
    let cases = [
        (png(1000, 500, 1), "image/png", (200, 100), (800, 400)),
        (picture(900, 1200, 2, image::ImageFormat::Jpeg), "image/jpeg", (150, 200), (600, 800)),
    ];
    for (bytes, kind, thumb_size, medium_size) in cases {
        let r = upload(t, &admin, id, &bytes, None).await;
        assert_eq!(r.status, 201, "{}", r.text);
        let image = r.body["images"].as_array().unwrap().last().unwrap().clone();
        let decoded = image::load_from_memory(&bytes).unwrap();
        assert_eq!(image["width"], decoded.width());
        assert_eq!(image["height"], decoded.height());
        let original = image["url"].as_str().unwrap().to_string();
        for (name, size) in [("thumb", thumb_size), ("medium", medium_size)] {
            let (url, w, h) = variant(&image, name);
            assert_ne!(url, original, "{name} is a file of its own");
            assert_eq!((w, h), size, "{name} size in the JSON");
            assert_eq!(served_picture(t, &url).await, (kind.to_string(), size.0, size.1), "{name} as served");
        }
    }
    // Small pictures are never enlarged: a 150×80 PNG is its own thumbnail and medium size;
    // a 300×120 one gets a thumbnail only.
    let small = upload(t, &admin, id, &png(150, 80, 3), None).await;
    let image = small.body["images"].as_array().unwrap().last().unwrap().clone();
    let original = image["url"].as_str().unwrap().to_string();
    assert_eq!(variant(&image, "thumb"), (original.clone(), 150, 80));
    assert_eq!(variant(&image, "medium"), (original.clone(), 150, 80));
    assert_eq!(served_picture(t, &original).await, ("image/png".to_string(), 150, 80));
    let mid = upload(t, &admin, id, &png(300, 120, 4), None).await;
    let image = mid.body["images"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(variant(&image, "medium"), (image["url"].as_str().unwrap().to_string(), 300, 120));
    let (thumb, w, h) = variant(&image, "thumb");
    assert_eq!((w, h), (200, 80));
    assert_eq!(served_picture(t, &thumb).await, ("image/png".to_string(), 200, 80));

    // Shoppers' JSON names the variants: the listing's `thumb` is the first image's thumbnail,
    // the detail lists every image with both variants; the staff list has the thumbnail too.
    let detail = t.client.get(&format!("/api/v1/products/{id}"), None).await;
    let first = detail.body["images"][0].clone();
    assert_eq!(detail.body["images"].as_array().unwrap().len(), 4);
    assert!(first["medium"]["url"].as_str().unwrap().starts_with("/media/"));
    let list = t.client.get("/api/v1/products", None).await;
    assert_eq!(list.body["items"][0]["thumb"], first["thumb"]["url"]);
    assert_eq!(list.body["items"][0]["image"], first["url"]);
    let staff = t.client.get("/api/v1/admin/products", Some(&admin)).await;
    assert_eq!(staff.body["items"][0]["thumb"], first["thumb"]["url"]);
    let doc = t.client.get("/api/openapi.json", None).await;
    let schemas = &doc.body["components"]["schemas"];
    assert!(schemas["Image"]["properties"]["thumb"].is_object(), "the OpenAPI schema names the variants");
    assert!(schemas["ImageVariant"]["properties"]["width"].is_object());

    // Pages: tiles use the thumbnail; the product gallery shows the medium size linking to the original.
    let home = t.client.raw().get(t.client.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains(&format!("src=\"{}\"", first["thumb"]["url"].as_str().unwrap())), "{home}");
    let slug = detail.body["slug"].as_str().unwrap();
    let page = t.client.raw().get(t.client.url(&format!("/p/{slug}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!(
        "<a href=\"{}\"><img src=\"{}\"",
        first["url"].as_str().unwrap(),
        first["medium"]["url"].as_str().unwrap()
    )));

    // Deleting an image removes its variants' files too.
    let image_id = first["id"].as_i64().unwrap();
    let r = t.client.delete(&format!("/api/v1/admin/images/{image_id}"), Some(&admin)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    t.client.get(first["url"].as_str().unwrap(), None).await.assert_problem(404, "not_found");
    t.client.get(first["thumb"]["url"].as_str().unwrap(), None).await.assert_problem(404, "not_found");
    t.client.get(first["medium"]["url"].as_str().unwrap(), None).await.assert_problem(404, "not_found");
}
