//! A product's images on its admin page: multipart upload with the CSRF token, validation
//! beside the field, thumbnails in order, move up/down, alt text, delete with confirmation,
//! and roles without the catalog permission refused.

use agora_testkit::TestApp;

use super::admin_console::console;
use super::{Page, Web};
use crate::catalog::images::{picture, png};
use crate::orders::fixtures;

both_backends!(upload_order_alt_and_delete_images, images_need_the_catalog_permission);

async fn product(t: &TestApp) -> i64 {
    let sku = fixtures::sku(t, 1000, 5).await;
    sqlx::query_scalar("SELECT product_id FROM skus WHERE id = $1")
        .bind(sku)
        .fetch_one(t.app.db.reader())
        .await
        .unwrap()
}

/// (id, alt, thumbnail file) of the product's images, in order.
async fn images(t: &TestApp, product: i64) -> Vec<(i64, String, String)> {
    sqlx::query_as(
        "SELECT id, alt, CASE WHEN thumb_file = '' THEN file_name ELSE thumb_file END FROM product_images \
         WHERE product_id = $1 ORDER BY position, id",
    )
    .bind(product)
    .fetch_all(t.app.db.reader())
    .await
    .unwrap()
}

async fn upload(web: &Web, product: i64, token: &str, alt: &str, file: &[u8]) -> Page {
    web.post_multipart(&format!("/admin/products/{product}/images"), &[("_csrf", token), ("alt", alt)], file).await
}

/// The ids in `data-image` attributes, in page order.
fn shown(page: &Page) -> Vec<i64> {
    page.html.split("data-image=\"").skip(1).map(|s| s.split('"').next().unwrap().parse().unwrap()).collect()
}

async fn upload_order_alt_and_delete_images(t: &TestApp) {
    let id = product(t).await;
    let web = console(t, "operator").await;
    let path = format!("/admin/products/{id}");
    let page = web.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(page.html.contains("enctype=\"multipart/form-data\""));
    let token = page.csrf();
    let audit = t.count("audit_log").await;

    // Refusals: no CSRF part, no file, not an image, too large, alt too long. Nothing stored.
    let r = web.post_multipart(&format!("{path}/images"), &[("alt", "x")], &png(300, 300, 1)).await;
    assert_eq!(r.status, 403, "{}", r.html);
    let r = upload(&web, id, &token, "kept alt", b"").await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("file").is_some(), "{}", r.html);
    assert_eq!(r.input_value("alt").as_deref(), Some("kept alt"), "typed alt kept");
    let r = upload(&web, id, &token, "", b"%PDF-1.4 nope").await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("file").unwrap().contains("JPEG, PNG, WebP or GIF"), "{}", r.html);
    let mut big = png(1, 1, 0);
    big.resize(10 * 1024 * 1024 + 100 * 1024, 0);
    let r = upload(&web, id, &token, "", &big).await;
    assert_eq!(r.status, 422, "{}", r.html);
    assert!(r.field_error("file").unwrap().contains("10 MiB"), "{}", r.html);
    let r = upload(&web, id, &token, &"a".repeat(301), &png(300, 300, 1)).await;
    assert_eq!(r.status, 422);
    assert!(r.field_error("upload_alt").is_some(), "{}", r.html);
    assert!(images(t, id).await.is_empty());
    assert_eq!(t.count("audit_log").await, audit);

    // Three uploads, shown as thumbnails in upload order.
    for (n, file) in
        [png(600, 300, 1), png(50, 50, 2), picture(400, 400, 3, image::ImageFormat::Jpeg)].iter().enumerate()
    {
        let r = upload(&web, id, &token, &format!("view {n}"), file).await;
        assert_eq!((r.status, r.location()), (303, format!("{path}#images").as_str()), "{}", r.html);
    }
    let stored = images(t, id).await;
    let ids: Vec<i64> = stored.iter().map(|i| i.0).collect();
    assert_eq!(stored[0].1, "view 0");
    let page = web.get(&path).await;
    assert_eq!(shown(&page), ids);
    for (_, _, thumb) in &stored {
        assert!(page.html.contains(&format!("src=\"/media/{thumb}\"")), "{thumb}");
    }

    // Move the last one up, then the (new) first one up: nothing to do.
    let move_to = |image: i64, direction: &'static str| {
        let fields = [("_csrf", token.clone()), ("direction", direction.to_string())];
        let url = format!("{path}/images/{image}/move");
        let web = &web;
        async move { web.post_raw(&url, &[(fields[0].0, &fields[0].1), (fields[1].0, &fields[1].1)]).await }
    };
    assert_eq!(move_to(ids[2], "up").await.status, 303);
    assert_eq!(images(t, id).await.iter().map(|i| i.0).collect::<Vec<_>>(), vec![ids[0], ids[2], ids[1]]);
    assert_eq!(move_to(ids[0], "up").await.status, 303);
    assert_eq!(move_to(ids[1], "down").await.status, 303);
    assert_eq!(move_to(ids[0], "down").await.status, 303);
    let order = vec![ids[2], ids[0], ids[1]];
    assert_eq!(images(t, id).await.iter().map(|i| i.0).collect::<Vec<_>>(), order);
    assert_eq!(shown(&web.get(&path).await), order);
    assert_eq!(move_to(ids[0], "sideways").await.status, 400);

    // Alt text: saved; too long is refused beside that image's field, the typed text kept.
    let r = web.post_raw(&format!("{path}/images/{}/alt", ids[1]), &[("_csrf", &token), ("alt", "side view")]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(images(t, id).await[2].1, "side view");
    let long = "b".repeat(301);
    let r = web.post_raw(&format!("{path}/images/{}/alt", ids[1]), &[("_csrf", &token), ("alt", &long)]).await;
    assert_eq!(r.status, 422);
    assert!(r.html.contains(&format!("id=\"alt-{}-error\" data-field=\"alt\"", ids[1])), "{}", r.html);
    assert!(r.html.contains(&format!("value=\"{long}\"")));
    assert_eq!(images(t, id).await[2].1, "side view");

    // Delete: only with the ticked box.
    let delete = format!("{path}/images/{}/delete", ids[0]);
    let r = web.post_raw(&delete, &[("_csrf", &token)]).await;
    assert_eq!(r.status, 422);
    assert!(r.html.contains(&format!("id=\"confirm-image-{}-error\" data-field=\"confirm\"", ids[0])), "{}", r.html);
    assert_eq!(images(t, id).await.len(), 3);
    let r = web.post_raw(&delete, &[("_csrf", &token), ("confirm", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.html);
    assert_eq!(images(t, id).await.iter().map(|i| i.0).collect::<Vec<_>>(), vec![ids[2], ids[1]]);
    // Three uploads, two moves that changed something, one alt, one delete: each audited.
    assert_eq!(t.count("audit_log").await, audit + 3 + 2 + 1 + 1);
    // An image of another product is not found through this one.
    let other = product(t).await;
    let r = web
        .post_raw(
            &format!("/admin/products/{other}/images/{}/delete", ids[1]),
            &[("_csrf", &token), ("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 404);
    // The product list shows the first image's thumbnail.
    let first_thumb = &images(t, id).await[0].2;
    assert!(web.get("/admin/products").await.html.contains(&format!("src=\"/media/{first_thumb}\"")));
}

async fn images_need_the_catalog_permission(t: &TestApp) {
    let id = product(t).await;
    let operator = console(t, "operator").await;
    let token = operator.get(&format!("/admin/products/{id}")).await.csrf();
    let r = upload(&operator, id, &token, "", &png(20, 20, 1)).await;
    assert_eq!(r.status, 303, "{}", r.html);
    let image = images(t, id).await[0].0;
    let audit = t.count("audit_log").await;
    for role in ["support", "finance"] {
        let web = console(t, role).await;
        assert_eq!(web.get(&format!("/admin/products/{id}")).await.status, 403, "{role}");
        let token = web.get("/admin").await.csrf();
        assert_eq!(upload(&web, id, &token, "", &png(20, 20, 2)).await.status, 403, "{role}");
        let base = format!("/admin/products/{id}/images/{image}");
        for (action, fields) in [
            ("move", vec![("_csrf", token.as_str()), ("direction", "down")]),
            ("alt", vec![("_csrf", token.as_str()), ("alt", "hijacked")]),
            ("delete", vec![("_csrf", token.as_str()), ("confirm", "yes")]),
        ] {
            assert_eq!(web.post_raw(&format!("{base}/{action}"), &fields).await.status, 403, "{role} {action}");
        }
    }
    assert_eq!(images(t, id).await.len(), 1);
    assert_eq!(images(t, id).await[0].1, "");
    assert_eq!(t.count("audit_log").await, audit);
}
