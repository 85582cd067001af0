//! Image upload, serving with cache headers, reorder, alt text, delete.

use agora_testkit::TestApp;
use serde_json::json;

use super::{category, listed};

both_backends!(image_upload_and_serving, image_management);

const BOUNDARY: &str = "agora-test-boundary";

fn png(extra: &[u8]) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(extra);
    b
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
    let bytes = png(&(0..=255u8).cycle().take(5000).collect::<Vec<_>>());
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
    for (file, ext) in [
        (vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], "jpg"),
        (b"GIF89a...".to_vec(), "gif"),
        (b"RIFF\x10\0\0\0WEBPVP8 ".to_vec(), "webp"),
    ] {
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
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let empty = format!("--{BOUNDARY}--\r\n").into_bytes();
    let r = t.client.post_raw(&format!("/api/v1/admin/products/{id}/images"), &ct, empty, Some(&admin)).await;
    r.assert_problem(422, "validation_failed");
    let big = png(&vec![7u8; 10 * 1024 * 1024 + 200 * 1024]);
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
    upload(t, &admin, id, &png(b"one"), None).await;
    upload(t, &admin, id, &png(b"two"), None).await;
    let r = upload(t, &admin, id, &png(b"three"), None).await;
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
